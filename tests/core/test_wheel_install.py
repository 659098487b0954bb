"""A real install (issue 17): the wheel carries the playbooks, and `coach` finds them from any folder.

Offline: the wheel is built with the test venv's setuptools (no build isolation), installed with
--no-deps into a fresh venv whose dependencies come from this venv's site-packages on PYTHONPATH,
and run from an empty folder, far from the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("src")
    # build from a copy of the sources we ship, so the shared checkout's build/ is never touched
    subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(build / "src.tar"), "HEAD"],
                   check=True)
    import tarfile

    with tarfile.open(build / "src.tar") as tar:
        tar.extractall(build / "coach", filter="data")
    for rel in ("setup.py", "pyproject.toml"):  # the working copy's build files (this change)
        (build / "coach" / rel).write_bytes((REPO / rel).read_bytes())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(out), str(build / "coach")], check=True, cwd=build)
    (found,) = out.glob("coach-*.whl")
    return found


def test_wheel_carries_the_playbooks(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "assistant/_playbooks/taxonomy.yaml" in names
    assert any(n.startswith("assistant/_playbooks/objection/") and n.endswith(".yaml") for n in names)
    assert "assistant/ui/coach.tcss" in names


def test_installed_coach_suggests_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / ("python.exe" if os.name == "nt" else "python")
    target = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--target", str(target), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    deps = sysconfig.get_paths()["purelib"]  # this venv's dependencies, but not its `assistant`
    env = {**os.environ, "PYTHONPATH": f"{target}{os.pathsep}{deps}", "COACH_HOME": str(tmp_path / "home")}
    env.pop("COACH_PLAYBOOKS", None)
    run = subprocess.run([str(py), "-m", "assistant.cli", "suggest", "利息太低了", "--json"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"][0]["id"].startswith("rate-low")
    where = subprocess.run([str(py), "-c", "import assistant.paths as p; print(p.BUILTIN_PLAYBOOKS)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert str(target) in where and str(REPO) not in where
    listed = subprocess.run([str(py), "-m", "assistant.cli", "rehearse", "--list"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0 and listed.stdout.strip(), listed.stderr
