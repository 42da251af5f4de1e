"""Regenerate the generated corpora, the held-out blank set and the manifest's figures.

    python -m corpora.generator.generate          # write grammar.txt, chat_templated.txt, blanks.jsonl
    python -m corpora.generator.generate --check  # exit 1 if any file differs from what the seeds give

Training text and blank items come from different seeds, and no blank item's filled sentence
occurs in the training text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

import corpora

from . import chat_templates, lexicon as lx
from .grammar import Grammar, article, render
from .prose import HeldOut

ROOT = Path(__file__).parent.parent  # corpora/
HAND_WRITTEN = ("stories.txt", "chat.txt")  # the English text people wrote for the project
GRAMMAR_SEED = 20261121
CHAT_SEED = 20261122
BLANKS_SEED = 9_000_001  # never used for training text
GRAMMAR_BYTES = 820_000
CHAT_TEMPLATED_BYTES = 48_000
BLANKS_PER_CATEGORY = 100
CATEGORIES = ("be-verb", "article", "preposition", "pronoun", "agreement", "tense", "content")

# Present forms and the past form that would also fit when nothing in the sentence fixes tense.
PAST_OF = {"am": "was", "is": "was", "are": "were", "has": "had", "have": "had", "does": "did",
           "do": "did", "doesn't": "didn't", "don't": "didn't", "Is": "Was", "Are": "Were",
           "Does": "Did", "Do": "Did"}
TIME_WORDS = [w.lower() for w in lx.TIME_PAST + lx.TIME_PRESENT + lx.TIME_FUTURE] + \
    ["today", "now", "tonight"]


def grammar_sentences(seed: int, target_bytes: int) -> list[str]:
    g, r = Grammar(random.Random(seed)), random.Random(seed + 1)
    # The hand-written everyday set was written apart from every template: a sentence of it
    # the templates happen to make is left out.
    everyday = HeldOut(sets=("everyday_blanks.jsonl",))
    out, seen, size = [], set(), 0
    while size < target_bytes:
        text = render(g.sentence())
        if text in seen and r.random() < 0.97:  # a few repeats, as real text has
            continue
        if everyday.hits(text):
            continue
        seen.add(text)
        out.append(text)
        size += len(text) + 1
    return out


def grammar_text(sentences: list[str], seed: int) -> str:
    """Sentences in lines of three to seven, like short paragraphs."""
    r, lines, i = random.Random(seed), [], 0
    while i < len(sentences):
        n = r.randint(3, 7)
        lines.append(" ".join(sentences[i : i + n]))
        i += n
    return "\n".join(lines) + "\n"


def _alternatives(words, k: int, category: str, sentence: str) -> list[str] | None:
    """Other answers that also fit, or None when the item is too open to ask."""
    answer = words[k][0]
    has_time = any(t in sentence.lower() for t in TIME_WORDS)
    if category in ("be-verb", "agreement"):
        if answer in PAST_OF:
            return [] if has_time else [PAST_OF[answer]]
        return None if not has_time else []  # a bare past form: the present fits just as well
    if category == "tense":
        return [] if has_time else None
    if category == "article":
        if answer in ("a", "an"):
            return ["the"]
        return [article(words[k + 1][0])]
    if category == "content":
        return sorted({alt for _, ans, alts in lx.COLLOCATIONS if ans == answer for alt in alts})
    return []


def blank_items(seed: int, training_text: str, per_category: int) -> list[dict]:
    """Items whose filled sentence occurs nowhere in the training text, not even as a clause."""
    g, r = Grammar(random.Random(seed)), random.Random(seed + 1)
    counts = dict.fromkeys(CATEGORIES, 0)
    items, seen = [], set()
    while min(counts.values()) < per_category:
        words = g.content() if counts["content"] < per_category and r.random() < 0.3 else g.sentence()
        sentence = render(words)
        # A compound's other clause can change what fits (tense, mostly): ask simple sentences.
        if "," in sentence or sentence in seen or sentence in training_text:
            continue
        choices = [k for k, (_, tag) in enumerate(words) if tag and counts[tag] < per_category]
        if not choices:
            continue
        k = r.choice(choices)
        category = words[k][1]
        alternatives = _alternatives(words, k, category, sentence)
        if alternatives is None:
            continue
        answer = words[k][0]
        blanked = words[:k] + [("___", None)] + words[k + 1 :]
        text = render(blanked)
        if k == 0:  # render capitalises the first word: keep the blank as it is
            text = "___" + text[3:]
        seen.add(sentence)
        counts[category] += 1
        items.append({"text": text, "answer": answer, "alternatives": alternatives,
                      "category": category})
    return items


def build() -> dict[str, str]:
    """Every generated file's content, keyed by file name."""
    sentences = grammar_sentences(GRAMMAR_SEED, GRAMMAR_BYTES)
    grammar = grammar_text(sentences, GRAMMAR_SEED)
    chat = chat_templates.dialogues(CHAT_SEED, CHAT_TEMPLATED_BYTES)
    # Held out from every bundled English text, not just the grammar it was drawn like.
    written = [(ROOT / name).read_text("utf-8") for name in HAND_WRITTEN]
    items = blank_items(BLANKS_SEED, "\n".join([grammar, chat, *written]), BLANKS_PER_CATEGORY)
    return {
        "grammar.txt": grammar,
        "chat_templated.txt": chat,
        "blanks.jsonl": "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items),
    }


WORD = re.compile(r"\w+(?:'\w+)?")


def figures(text: str) -> dict:
    return {
        "bytes": len(text.encode("utf-8")),
        "characters": len(text),
        "distinct_words": len({w.lower() for w in WORD.findall(text)}),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def duplicate_share(sentences: list[str]) -> float:
    return 1 - len(set(sentences)) / len(sentences)


def manifest_with_figures(manifest: dict) -> dict:
    """The manifest with each corpus's figures measured from its text as `corpora.read` gives it."""
    out = {"corpora": []}
    for entry in manifest["corpora"]:
        entry = {k: v for k, v in entry.items() if k not in ("bytes", "characters",
                                                               "distinct_words", "sha256")}
        entry.update(figures(corpora.read(entry["name"])))
        out["corpora"].append(entry)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpora.generator.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    files = build()
    stale = [name for name, text in files.items()
             if not (ROOT / name).is_file() or (ROOT / name).read_text("utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{name} differs from what the generator makes", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (ROOT / name).write_text(files[name], encoding="utf-8")
        print(f"wrote {name}")
    corpora.manifest.cache_clear()
    path = ROOT / "MANIFEST.json"
    updated = manifest_with_figures(json.loads(path.read_text("utf-8")))
    path.write_text(json.dumps(updated, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sentences = grammar_sentences(GRAMMAR_SEED, GRAMMAR_BYTES)
    print(f"grammar: {len(sentences)} sentences, duplicate share {duplicate_share(sentences):.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
