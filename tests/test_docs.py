"""The docs stay true to the code: the CLI page is what its script writes now, the README stays a
front door, and no relative link points at nothing."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_LIMIT = 12 * 1024  # bytes: past this the README is a manual again; the reference is docs/

LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE = re.compile(r"`[^`\n]*`")


def _cli_docs_script():
    # scripts/ is no package: load the file itself, as `python scripts/make_cli_docs.py` runs it.
    spec = importlib.util.spec_from_file_location("make_cli_docs", ROOT / "scripts" / "make_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_page_is_what_the_script_writes_now():
    script = _cli_docs_script()
    assert script.PAGE.read_text("utf-8") == script.render(), \
        "a command changed: run python scripts/make_cli_docs.py"


def relative_links(page: Path) -> list[str]:
    """Link targets that name a file of the repository (no scheme, not only an anchor); code
    blocks and code spans are left out, as they show text, not links."""
    text = CODE.sub("", FENCE.sub("", page.read_text("utf-8")))
    targets = [t.split("#")[0] for t in LINK.findall(text)]
    return [t for t in targets if t and not re.match(r"[a-z][a-z0-9+.-]*:", t, re.I)]


def test_readme_is_small_and_every_relative_link_resolves():
    readme = ROOT / "README.md"
    assert len(readme.read_bytes()) <= README_LIMIT
    pages = [readme, *sorted((ROOT / "docs").glob("*.md")),
             *(p for p in (ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md") if p.exists())]
    missing = [f"{page.relative_to(ROOT)}: {target}" for page in pages
               for target in relative_links(page) if not (page.parent / target).exists()]
    assert not missing, missing
