"""Bring hand-written prose into corpora/: tidy it, drop repeated lines, and hold the blank sets
out of it.

    python -m corpora.generator.prose NAME FILE_OR_FOLDER...   # write corpora/NAME.txt
    python -m corpora.generator.prose --report                 # duplicate rates of the prose

The blank sets are written before and apart from the prose; this step only makes sure that none
of their sentences (or an 8-word span of one) reaches training text by coincidence: a sentence
of the prose that holds one is dropped. The text is otherwise kept as it was written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import corpora

ROOT = Path(__file__).parent.parent  # corpora/
BLANK_SETS = ("blanks.jsonl", "everyday_blanks.jsonl")
SPAN = 8  # words: a shared span this long counts as the item occurring
WORD = re.compile(r"[a-z0-9']+")
SENTENCE = re.compile(r"(?<=[.!?])\s+")
MIN_REPEAT_WORDS = 4  # a repeated "Thank you." or "Yes, I do." is how people talk: kept
ASCII = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - ",
         "\u2013": "-", "\u2026": "...", "\u00a0": " "}


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def filled(item: dict) -> str:
    return item["text"].replace("___", item["answer"], 1)


class HeldOut:
    """The blank sets' sentences and their 8-word spans, to find them in training text."""

    def __init__(self, root: Path = ROOT, sets: tuple[str, ...] = BLANK_SETS):
        self.sentences: list[str] = []
        self.spans: set[tuple[str, ...]] = set()
        for name in sets:
            for line in (root / name).read_text("utf-8").splitlines():
                if line.strip():
                    sentence = filled(json.loads(line))
                    self.sentences.append(" ".join(words(sentence)))
                    w = words(sentence)
                    self.spans |= {tuple(w[i : i + SPAN]) for i in range(len(w) - SPAN + 1)}

    def hits(self, text: str) -> bool:
        """Whether `text` holds a held-out sentence (as a run of words) or an 8-word span."""
        w = words(text)
        if any(tuple(w[i : i + SPAN]) in self.spans for i in range(len(w) - SPAN + 1)):
            return True
        joined = f" {' '.join(w)} "
        return any(f" {s} " in joined for s in self.sentences)


def tidy(text: str) -> str:
    for a, b in ASCII.items():
        text = text.replace(a, b)
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def clean(text: str, held_out: HeldOut, seen: set[str]) -> tuple[str, dict]:
    """The text with repeated lines and held-out sentences dropped, and what was dropped."""
    stats = {"lines": 0, "repeats": 0, "held_out_sentences": 0}
    out = []
    for line in tidy(text).split("\n"):
        key = " ".join(words(line))
        if not key:
            out.append(line)
            continue
        stats["lines"] += 1
        if len(key.split()) >= MIN_REPEAT_WORDS and key in seen:
            stats["repeats"] += 1
            continue
        seen.add(key)
        if held_out.hits(line):
            kept = [s for s in SENTENCE.split(line) if not held_out.hits(s)]
            stats["held_out_sentences"] += len(SENTENCE.split(line)) - len(kept)
            line = " ".join(kept)
            if not line or line.endswith(":"):  # a speaker tag with nothing left to say
                continue
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + "\n", stats


def duplicate_rates(text: str) -> tuple[float, float]:
    """(exact, near) shares of non-empty lines that repeat an earlier line; near ignores case,
    punctuation and digits. Short lines (under 4 words) are left out: "Yes." is not a copy."""
    return _repeats([ln.strip() for ln in text.split("\n")])


def sentence_rates(text: str) -> tuple[float, float]:
    """The same for sentences: a line of new words around a sentence written before is caught."""
    return _repeats([s.strip() for ln in text.split("\n") for s in SENTENCE.split(ln)])


def _repeats(units: list[str]) -> tuple[float, float]:
    units = [u for u in units if len(u.split()) >= MIN_REPEAT_WORDS]
    if not units:
        return 0.0, 0.0
    near = [" ".join(re.findall(r"[^\W\d_]+", u.lower())) for u in units]
    return 1 - len(set(units)) / len(units), 1 - len(set(near)) / len(near)


def sources(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.txt")) if p.is_dir() else [p]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpora.generator.prose",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("name", nargs="?", help="the corpus file to write: corpora/NAME.txt")
    parser.add_argument("paths", nargs="*", help="hand-written .txt files or folders of them")
    parser.add_argument("--report", action="store_true", help="duplicate rates of every prose file")
    args = parser.parse_args(argv)
    if args.report:
        print(f"{'file (hand-written)':<24}{'lines: exact':>14}{'near':>8}{'sentences: exact':>18}{'near':>8}")
        for entry in corpora.manifest().values():
            for f, how in entry.get("provenance", {}).items():
                if how.startswith("hand-written") or "writing helper" in how:
                    text = (ROOT / f).read_text("utf-8")
                    (le, ln), (se, sn) = duplicate_rates(text), sentence_rates(text)
                    print(f"{f:<24}{le:>14.2%}{ln:>8.2%}{se:>18.2%}{sn:>8.2%}")
        return 0
    if not args.name or not args.paths:
        parser.error("give NAME and at least one file or folder")
    held_out, seen = HeldOut(), set()
    raw = "\n\n".join(p.read_text("utf-8") for p in sources(args.paths))
    before = duplicate_rates(tidy(raw))
    text, stats = clean(raw, held_out, seen)
    (ROOT / f"{args.name}.txt").write_text(text, encoding="utf-8")
    after = duplicate_rates(text)
    print(f"{args.name}.txt: {len(text.encode()):,} bytes, {stats['lines']:,} lines; dropped "
          f"{stats['repeats']} repeated lines and {stats['held_out_sentences']} held-out "
          f"sentences; duplicate lines exact/near {before[0]:.2%}/{before[1]:.2%} before, "
          f"{after[0]:.2%}/{after[1]:.2%} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
