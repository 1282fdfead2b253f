"""What `seed_demo` and `seed_scale` share: finding each app's `seed/<name>.py`, in INSTALLED_APPS order."""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


def seed_modules(name: str) -> Iterator[ModuleType]:
    """Each of our apps' `seed.<name>` module (`demo` or `scale`), apps in INSTALLED_APPS order."""
    for app_config in apps.get_app_configs():
        if not app_config.path.startswith(str(settings.BASE_DIR)):
            continue
        if module_has_submodule(app_config.module, "seed"):
            package = import_module(f"{app_config.name}.seed")
            if module_has_submodule(package, name):
                yield import_module(f"{app_config.name}.seed.{name}")
