"""The shape of the house: imports go one way (corpora -> lm -> tui), lm never touches the UI,
and the light entry points do not load torch."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI = {"textual", "click", "rich", "tui"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports (a relative import names its own package)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            out.add(path.relative_to(ROOT).parts[0] if node.level else node.module.split(".")[0])
    return out


@pytest.mark.parametrize("path", sorted((ROOT / "lm").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_lm_never_imports_the_ui(path):
    assert not imported_modules(path) & UI


@pytest.mark.parametrize("path", sorted((ROOT / "corpora").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_corpora_import_neither_lm_nor_the_ui(path):
    assert not imported_modules(path) & (UI | {"lm", "torch"})


def test_the_import_contracts_hold():
    """.importlinter states the house: corpora -> lm -> tui, lm UI-free, lm's layers, the app's
    modes apart, and no circles among the parts of lm or tui (imports in functions and under
    TYPE_CHECKING count). CI runs it too, before the tests."""
    linter = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(linter)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "0 broken" in out.stdout


def test_the_console_script_answers_help_without_torch():
    """The command users run, not the click group: every click exit passes through main()'s
    except clauses, which must not import lm's lazy names (and torch with them)."""
    script = Path(sys.executable).with_name("rnn-tui")
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}, timeout=60)
    assert out.returncode == 0 and "Usage:" in out.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
    assert "score" in out.stdout and "torch" not in imported and "lm.cells" not in imported


# The lazy loads, so the app can paint (and read the cells' facts) before torch: lm/__init__'s
# table, and lm/cells.py's torch, put in place on first use.
LAZY = {("lm/__init__.py", "__getattr__"), ("lm/cells.py", "__getattr__")}


def test_lm_imports_no_module_inside_a_function():
    """Imports sit at the top of each module, where the reader sees the layers; the lazy loads
    are the two in LAZY."""
    for path in (ROOT / "lm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if (path.relative_to(ROOT).as_posix(), node.name) in LAZY:
                    continue
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner, f"{path.relative_to(ROOT)}: import inside {node.name}()"


def test_the_cells_facts_are_read_without_torch():
    assert not loads_torch("import lm\nprint(lm.CELLS['lstm'].label, lm.CELLS['gru'].colour)")
    assert loads_torch("import lm\nlm.CELLS['gru'].make(4, 4, 1, 0.0)")


def loads_torch(code: str) -> bool:
    probe = f"import sys\n{code}\nprint('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize("code", [
    "import lm",
    "import tui.entry",
    "import lm; lm.shipped_model_path(); lm.TrainConfig(); lm.Sampling(); lm.CATEGORIES; lm.find_blanks('a ___')",
    "import sys; sys.argv = ['rnn-tui', '--help']\nfrom tui.cli import cli\ntry:\n    cli.main(prog_name='rnn-tui')\nexcept SystemExit:\n    pass",
], ids=["import lm", "import tui.entry", "light lm names", "rnn-tui --help"])
def test_light_entry_points_do_not_load_torch(code):
    assert not loads_torch(code)


def test_the_probe_would_see_torch():
    assert loads_torch("import lm; lm.load")
