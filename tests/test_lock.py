"""The Python packages are locked (docs/adr/0023-locked-dependencies-with-hashes.md): .venv holds exactly
requirements/development.txt, every pin in both lock files carries a hash, the image's lock is the development lock
without the dev extra, and the lock files are current with pyproject.toml's ranges."""

import re
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT = ROOT / "requirements" / "development.txt"
PRODUCTION = ROOT / "requirements" / "production.txt"


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: Marker | None
    hashes: tuple[str, ...]

    def applies(self) -> bool:
        """Whether this interpreter installs the pin (a universal lock has pins for other platforms and Pythons)."""
        return self.marker is None or self.marker.evaluate()


def pins(path: Path) -> list[Pin]:
    """The pins of a lock file written by `uv pip compile --generate-hashes`, one per requirement."""
    text = re.sub(r"(?m)(^|\s)#.*$", "", path.read_text())  # comments, including uv's "# via" lines
    found = []
    for line in text.replace("\\\n", " ").splitlines():
        words = line.split()
        if not words:
            continue
        hashes = tuple(word.removeprefix("--hash=") for word in words if word.startswith("--hash="))
        requirement = Requirement(" ".join(word for word in words if not word.startswith("--hash=")))
        [specifier] = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: {requirement} is not pinned to one version"
        found.append(Pin(canonicalize_name(requirement.name), specifier.version, requirement.marker, hashes))
    assert found, f"{path.name} pins nothing"
    return found


def installed() -> dict[str, set[str]]:
    """Every distribution this interpreter can import, by normalised name, with the versions found.

    The repository's own root is on sys.path (pytest's pythonpath) but installs nothing: an egg-info left there by an
    old `pip install -e .` is not a package in the virtualenv."""
    paths = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT]
    versions: dict[str, set[str]] = {}
    for distribution in metadata.distributions(path=paths):
        versions.setdefault(canonicalize_name(distribution.metadata["Name"]), set()).add(distribution.version)
    return versions


def pyproject_requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + [entry for extra in extras for entry in project["optional-dependencies"][extra]]
    return [Requirement(entry) for entry in listed]


def test_the_virtualenv_holds_exactly_the_development_lock():
    locked = {pin.name: pin.version for pin in pins(DEVELOPMENT) if pin.applies()}
    found = installed()
    missing = sorted(f"{name}=={version}" for name, version in locked.items() if name not in found)
    different = sorted(
        f"{name}: locked {version}, installed {', '.join(sorted(found[name]))}"
        for name, version in locked.items()
        if name in found and found[name] != {version}
    )
    # pip is in the lock too, and `make install` removes the setuptools that the venv starts with.
    unlocked = sorted(
        f"{name}=={', '.join(sorted(versions))}" for name, versions in found.items() if name not in locked
    )
    assert not (missing or different or unlocked), (
        f"{sys.prefix} is not requirements/development.txt (`make install` builds it afresh from the lock):\n"
        f"locked, not installed: {missing}\nat another version: {different}\ninstalled, not locked: {unlocked}"
    )


def test_every_pin_in_both_lock_files_carries_a_sha256_hash():
    for path in (DEVELOPMENT, PRODUCTION):
        unhashed = [f"{pin.name}=={pin.version}" for pin in pins(path) if not pin.hashes]
        assert unhashed == [], f"{path.name}: pins without a hash (pip --require-hashes would refuse them)"
        other = [
            f"{pin.name}: {digest}" for pin in pins(path) for digest in pin.hashes if not digest.startswith("sha256:")
        ]
        assert other == [], f"{path.name}: hashes other than sha256"


def test_the_production_lock_is_the_development_lock_without_the_dev_extra():
    development = {(pin.name, pin.version) for pin in pins(DEVELOPMENT)}
    production = {(pin.name, pin.version) for pin in pins(PRODUCTION)}
    assert sorted(production - development) == [], "production pins that development lacks or has at another version"
    # And the dev extra is not in the image.
    dev_only = {canonicalize_name(requirement.name) for requirement in pyproject_requirements("dev")} - {
        canonicalize_name(requirement.name) for requirement in pyproject_requirements()
    }
    assert sorted(dev_only & {name for name, _ in production}) == [], "dev packages in the production lock"


def test_the_lock_files_satisfy_pyprojects_ranges():
    """Fails when pyproject.toml's dependencies changed and the locks were not compiled again (`make lock`)."""
    for path, extras in ((PRODUCTION, ()), (DEVELOPMENT, ("dev",))):
        locked: dict[str, list[str]] = {}
        for pin in pins(path):
            locked.setdefault(pin.name, []).append(pin.version)
        outside = [
            f"{requirement}: locked {locked.get(canonicalize_name(requirement.name), 'nothing')}"
            for requirement in pyproject_requirements(*extras)
            if not locked.get(canonicalize_name(requirement.name))
            or not all(
                requirement.specifier.contains(version) for version in locked[canonicalize_name(requirement.name)]
            )
        ]
        assert outside == [], f"{path.name} is stale against pyproject.toml (run `make lock`)"


def test_django_is_held_to_the_52_series_from_its_security_release():
    [django] = [
        requirement for requirement in pyproject_requirements() if canonicalize_name(requirement.name) == "django"
    ]
    admits = SpecifierSet(str(django.specifier), prereleases=True).contains
    assert [version for version in ("5.2.20", "5.2.21", "5.2.99") if not admits(version)] == []
    refused = ("4.2.30", "5.1.15", "5.2", "5.2.19", "5.3a1", "5.3", "5.3.1", "6.0")
    assert [version for version in refused if admits(version)] == [], f"{django} admits more than Django 5.2.20+"
