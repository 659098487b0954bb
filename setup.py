"""Build step pyproject.toml cannot say: ship the repository's playbooks/ inside the package.

Authors keep editing `playbooks/` at the top of the repository; a built wheel (pip install ., pipx)
carries a copy as `assistant/_playbooks/`, which `assistant.paths.BUILTIN_PLAYBOOKS` finds when
there is no checkout beside the package. Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithPlaybooks(build_py):
    """build_py, then playbooks/ (YAML and the format notes) into build/lib/assistant/_playbooks."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads playbooks/ where it is
            return
        target = Path(self.build_lib) / "assistant" / "_playbooks"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(HERE / "playbooks", target,
                        ignore=shutil.ignore_patterns(".*", "__pycache__", "*.pyc", "*.tmp"))


setup(cmdclass={"build_py": BuildWithPlaybooks})
