"""The shape of the house: imports go one way (corpora -> lm -> tui), lm never touches the UI,
and the light entry points do not load torch."""

from __future__ import annotations

import ast
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


def lm_graph() -> dict[str, set[str]]:
    """lm's module graph from its import statements (TYPE_CHECKING blocks left out)."""
    graph = {}
    for path in (ROOT / "lm").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps = set()
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:  # module level only: that is what runs at import
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom) and sub.level:
                    base = package.split(".")
                    base = base[: len(base) - (sub.level - 1)]
                    target = ".".join(base + ([sub.module] if sub.module else []))
                    deps.add(target)
                    deps |= {f"{target}.{a.name}" for a in sub.names}
        graph[name] = deps
    return {k: {d for d in v if d in graph and d != k} for k, v in graph.items()}


def test_lm_has_no_import_circle():
    graph, state = lm_graph(), {}

    def visit(node, trail):
        if state.get(node) == "done":
            return
        assert state.get(node) != "open", "import circle: " + " -> ".join(trail + [node])
        state[node] = "open"
        for dep in sorted(graph[node]):
            visit(dep, trail + [node])
        state[node] = "done"

    for node in sorted(graph):
        if node != "lm":  # the package's lazy table names everything, and imports none of it
            visit(node, [])


def test_lm_imports_no_module_inside_a_function():
    """Imports sit at the top of each module, where the reader sees the layers; the one lazy
    load is lm/__init__'s table, so the app can paint before torch."""
    for path in (ROOT / "lm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner, f"{path.relative_to(ROOT)}: import inside {node.name}()"


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
