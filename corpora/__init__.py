"""The bundled corpora: text written for this project, looked up by name.

MANIFEST.json lists each corpus: its files (or the corpora it mixes), language, how it was made
and its license. Nothing here imports torch: the registry is plain data.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def manifest() -> dict[str, dict]:
    data = json.loads(resources.files(__name__).joinpath("MANIFEST.json").read_text("utf-8"))
    return {entry["name"]: entry for entry in data["corpora"]}


def names() -> list[str]:
    return list(manifest())


def files(name: str) -> list[str]:
    """The file names a corpus is made of, following mixes like `default`."""
    entry = manifest()[name]
    if "mix" in entry:
        return [f for part in entry["mix"] for f in files(part)]
    return list(entry["files"])


def parts(name: str) -> list[str]:
    """The text of each file of a corpus, in order."""
    root = resources.files(__name__)
    return [root.joinpath(f).read_text("utf-8").strip("\n") for f in files(name)]


def read(name: str) -> str:
    """The corpus text: its files joined by a blank line."""
    return "\n\n".join(parts(name))


BLANK_SETS = {  # source name -> file: fill-in-the-blank items no training text holds
    "blank set": "blanks.jsonl",  # drawn by the generator like `grammar`, from other seeds
    "everyday set": "everyday_blanks.jsonl",  # written by hand, before and apart from `everyday`
}


def blank_items(source: str = "blank set") -> list[dict]:
    """A held-out fill-in-the-blank set: {"text", "answer", "alternatives", "category"}."""
    text = resources.files(__name__).joinpath(BLANK_SETS[source]).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


MINIMAL_PAIRS = "minimal_pairs.jsonl"  # written by hand, before and apart from any training text


def minimal_pairs() -> list[dict]:
    """Grammatical minimal pairs: {"good", "bad", "phenomenon", "distance"}, the two sentences
    differing in one place; `distance` counts the words between that place and the word that
    decides it (a word 5-gram sees at most 4 words back)."""
    text = resources.files(__name__).joinpath(MINIMAL_PAIRS).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
