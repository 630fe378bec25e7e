"""#21: the wheel an intranet server installs carries what the pages need — our static files, the vendored
ones `make assets` copies, the compiled catalogues, every template and the field app's service worker —
so the server needs neither Node nor gettext. The oracle is git's own list of files, not our settings."""

import fcntl
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory, worker_id) -> set[str]:
    # Built once per run: the build writes build/ and wangge.egg-info into the tree, so two xdist workers
    # building at once broke each other's build. The run's directory is shared by its workers.
    run = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    out = run / "wheel"
    out.mkdir(exist_ok=True)
    with (run / "wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not list(out.glob("wangge-*.whl")):
            subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out),
                            str(ROOT)], check=True, capture_output=True, timeout=240)
    (wheel,) = out.glob("wangge-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def tracked(prefix: str) -> list[str]:
    listed = subprocess.run([shutil.which("git"), "ls-files", prefix], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return listed.stdout.split()


def test_every_static_file_template_and_the_service_worker_are_in_the_wheel(wheel_files):
    needed = [name for name in tracked("wangge") if not name.endswith(".py") and "/migrations/" not in name]
    assert any(name.endswith("sw.js") for name in needed) and any("/static/" in name for name in needed)
    assert [name for name in needed if name not in wheel_files] == []


def test_the_built_assets_and_catalogues_are_in_the_wheel(wheel_files):
    built = [path.relative_to(ROOT).as_posix() for path in (ROOT / "wangge" / "static_build").rglob("*")
             if path.is_file()]
    built += [path.relative_to(ROOT).as_posix() for path in (ROOT / "wangge" / "locale").rglob("*.mo")]
    assert any(name.endswith("htmx.min.js") for name in built) and any(name.endswith(".mo") for name in built)
    assert [name for name in built if name not in wheel_files] == []
