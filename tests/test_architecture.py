"""The shape of the house (docs/architecture.md): apps depend one way only, and every app has the same layout.

Imports are read from the source with `ast`, so a lazy import inside a function counts as much as one at the top.
Tests are code too: an app's tests may use the apps below it and the shared test kit in tests/ (factories, personas,
HTML helpers), never the apps above it; journeys across apps live in tests/.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app may import those before it, never those after it.
LAYERS = ["core", "partnerships", "workstreams", "engagement", "governance", "reporting"]
# The same names in every app (a small one may lack some); what every app must have.
LAYOUT = {"models", "services", "selectors", "access.py", "views", "api", "forms", "admin.py", "urls.py", "tests"}
REQUIRED = {"models", "services", "access.py", "views", "api", "urls.py", "tests"}


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module the file imports, absolute, with relative imports resolved against the file's package."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                modules.add(".".join([*base, node.module] if node.module else base))
            else:
                modules.add(node.module)
    return modules


def python_files(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :]) | {"stp_portal"}
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(app)
        for module in imported_modules(path)
        if module.split(".")[0] in higher or (module.split(".")[0] == "tests" and "tests" not in path.parts)
    )
    assert wrong == []


def test_the_layers_cover_every_installed_app_of_ours():
    ours = {name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir()}
    assert ours == set(LAYERS)


@pytest.mark.parametrize("app", LAYERS[1:])
def test_every_app_has_the_same_layout(app):
    entries = {path.name for path in (ROOT / app).iterdir() if not path.name.startswith(("_", "."))}
    assert entries >= REQUIRED
    for name in LAYOUT - {"access.py", "admin.py", "urls.py"}:
        if (ROOT / app / f"{name}.py").exists():
            pytest.fail(f"{app}/{name}.py should be the package {app}/{name}/")


def test_the_import_reader_sees_a_lazy_relative_import_of_a_higher_app(tmp_path):
    module = tmp_path / "engagement" / "views" / "example.py"
    module.parent.mkdir(parents=True)
    module.write_text("def f():\n    from ...governance.models import Decision\n    import reporting.tasks\n")
    assert imported_modules(module, root=tmp_path) == {"governance.models", "reporting.tasks"}


# --- Views and the API ask access.py or a selector, never a model's manager ------------------------------------------
# A stranger's id must meet the access functions (404 or 403), and a list its selector's fixed number of queries;
# `Model.objects.get(pk=...)` in a view skips both (style.md, "What to avoid"). A query on a queryset that an access
# function or a selector returned is fine: it is already narrowed to what the user may see.

MANAGERS = {"objects", "_default_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def view_and_api_modules(root: Path = ROOT) -> list[Path]:
    """Every app's page views (`views/*.py`) and API views (`api/views.py`, `api/views/*.py`)."""
    patterns = ("*/views/*.py", "*/api/views.py", "*/api/views/*.py")
    return sorted({path for pattern in patterns for path in root.glob(pattern)})


def manager_queries(path: Path, root: Path = ROOT) -> list[str]:
    """Each line of the module that reaches a model's manager, as `path:line: source`."""
    source = path.read_text()
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            found.add(node.lineno)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in SHORTCUTS:
                found.add(node.lineno)
    return [f"{path.relative_to(root)}:{number}: {lines[number - 1].strip()}" for number in sorted(found)]


def test_views_and_the_api_reach_records_through_access_or_a_selector():
    offending = [line for path in view_and_api_modules() for line in manager_queries(path)]
    assert offending == []


def test_the_manager_check_sees_a_view_that_queries_a_model_directly(tmp_path):
    module = tmp_path / "engagement" / "views" / "example.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "from ..access import activities_visible_to\n"
        "def detail(request, pk):\n"
        "    mine = activities_visible_to(request.user).filter(pk=pk)\n"
        "    activity = EngagementActivity.objects.get(pk=pk)\n"
        "    other = get_object_or_404(Feedback, pk=pk)\n"
        "    return self.model._default_manager.all()\n"
    )
    assert view_and_api_modules(tmp_path) == [module]
    assert manager_queries(module, root=tmp_path) == [
        "engagement/views/example.py:5: activity = EngagementActivity.objects.get(pk=pk)",
        "engagement/views/example.py:6: other = get_object_or_404(Feedback, pk=pk)",
        "engagement/views/example.py:7: return self.model._default_manager.all()",
    ]
