"""#24.13: requirements.lock pins, with hashes, every dependency that pyproject.toml names (main and dev),
at a version pyproject.toml allows. Adding or changing a dependency without `make lock` fails here."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
PLATFORM = {"python_version": "3.11", "python_full_version": "3.11.0", "sys_platform": "linux",
            "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64",
            "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": "dev"}


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each requirement in the lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = (match[2], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return [Requirement(name) for name in names]


def test_every_declared_dependency_is_pinned_with_hashes():
    pins = locked()
    assert len(pins) > 30  # the lock was read
    problems = []
    for requirement in declared():
        if requirement.marker is not None and not requirement.marker.evaluate(PLATFORM):
            continue
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in requirements.lock")
            continue
        version, hashes = pins[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"requirements.lock pins {name}=={version}, pyproject.toml wants {requirement}")
        if hashes == 0:
            problems.append(f"{name}=={version} has no hash")
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


def test_every_pin_has_a_hash():
    # pip --require-hashes refuses the whole file otherwise.
    assert all(hashes for _version, hashes in locked().values())


def test_extras_bring_their_packages():
    # psycopg[binary] and celery[redis] pull packages that only the extra names.
    pins = locked()
    assert "psycopg-binary" in pins and "redis" in pins
