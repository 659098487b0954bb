"""assistant.core never loads Textual: checked per module in a fresh interpreter, and by import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "assistant" / "core"
MODULES = sorted(
    "assistant.core." + ".".join(p.relative_to(CORE).with_suffix("").parts).removesuffix(".__init__")
    for p in CORE.rglob("*.py")
)


@pytest.mark.parametrize("module", MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, importlib; importlib.import_module({module!r}); print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def importlinter_ini(tmp_path: Path) -> Path:
    """The contracts from pyproject.toml as an INI config, with external packages enabled.

    import-linter refuses a forbidden external module (textual) unless
    `include_external_packages` is set; the contracts themselves stay declared in pyproject.
    """
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = ["[importlinter]", f"root_package = {config['root_package']}", "include_external_packages = True", ""]
    for i, contract in enumerate(config["contracts"]):
        lines.append(f"[importlinter:contract:{i}]")
        for key, value in contract.items():
            lines.append(f"{key} =" + "".join(f"\n    {v}" for v in value) if isinstance(value, list) else f"{key} = {value}")
        lines.append("")
    path = tmp_path / "importlinter.ini"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_import_linter_contract(tmp_path: Path) -> None:
    # This interpreter's own lint-imports first: a pyenv shim on PATH may point at another Python.
    beside = Path(sys.executable).parent / "lint-imports"
    exe = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert exe, "import-linter is not installed: pip install -e .[test]"
    result = subprocess.run([exe, "--config", str(importlinter_ini(tmp_path))], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout
