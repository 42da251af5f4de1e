"""Held-out means written apart: no blank-set item, and no 8-word span of one, occurs in any text
a bundled model trains on. The check is written here on its own, not borrowed from the tool
that assembled the prose."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

import corpora

ROOT = Path(corpora.__file__).parent
EVERYDAY_CATEGORIES = {"be-verb", "auxiliary", "article", "preposition", "pronoun", "agreement",
                       "tense", "conjunction", "comparative", "question", "collocation", "world"}


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def items(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / name).read_text("utf-8").splitlines() if line]


def filled(item: dict) -> str:
    return item["text"].replace("___", item["answer"], 1)


class Training:
    """Every training text's word sequence, and its 8-word spans."""

    def __init__(self, texts: list[str]):
        self.words = " " + " ".join(" ".join(tokens(t)) for t in texts) + " "
        self.sentences = {s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+|\n|: ", t)}
        self.spans = set()
        for t in texts:
            w = tokens(t)
            self.spans |= {tuple(w[i : i + 8]) for i in range(len(w) - 7)}

    def leaks(self, sentence: str) -> list[str]:
        w = tokens(sentence)
        found = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if tuple(w[i : i + 8]) in self.spans]
        if f" {' '.join(w)} " in self.words:
            found.append(sentence)
        return found


@pytest.fixture(scope="module")
def training() -> Training:
    names = {f for c in corpora.names() for f in corpora.files(c)}
    return Training([(ROOT / f).read_text("utf-8") for f in sorted(names)])


def test_no_everyday_item_or_8_word_span_of_one_is_in_any_training_text(training):
    leaks = {filled(it): hit for it in items("everyday_blanks.jsonl")
             if (hit := training.leaks(filled(it)))}
    assert not leaks, f"{len(leaks)} everyday items occur in training text: {list(leaks.items())[:3]}"


def test_no_generated_item_is_a_sentence_of_any_training_text(training):
    # This set is drawn from the same templates as `grammar` (other seeds), so its phrases are
    # grammar's by design; what is held out is the sentence itself.
    leaks = [filled(it) for it in items("blanks.jsonl") if filled(it) in training.sentences]
    assert not leaks, leaks[:3]


def test_no_minimal_pair_sentence_or_8_word_span_of_one_is_in_any_training_text(training):
    leaks = {text: hit for pair in corpora.minimal_pairs() for text in (pair["good"], pair["bad"])
             if (hit := training.leaks(text))}
    assert not leaks, f"{len(leaks)} minimal-pair sentences occur in training text: {list(leaks.items())[:3]}"


def test_minimal_pairs_differ_in_one_place_and_cover_twelve_phenomena():
    pairs = corpora.minimal_pairs()
    assert len(pairs) >= 600
    counts = Counter(p["phenomenon"] for p in pairs)
    assert len(counts) >= 12 and min(counts.values()) >= 50, counts
    assert len({p["good"] for p in pairs}) == len(pairs)
    for p in pairs:
        good, bad = p["good"].split(), p["bad"].split()
        if len(good) == len(bad):
            assert sum(a != b for a, b in zip(good, bad)) == 1, p
        else:  # one word inserted or removed
            longer, shorter = (good, bad) if len(good) > len(bad) else (bad, good)
            assert len(longer) == len(shorter) + 1, p
            assert any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer))), p
        assert isinstance(p["distance"], int) and p["distance"] >= 0, p
    # Enough pairs whose deciding word lies beyond a word 5-gram's window (4 words back).
    assert sum(p["distance"] >= 4 for p in pairs) >= 150


def test_the_leak_check_sees_a_planted_sentence_and_span():
    t = Training(["He said that the keys to the car are on the kitchen table right now, really.",
                  "A: Where were you born?"])
    assert t.leaks("The keys to the car ___ on the kitchen table right now.".replace("___", "are"))
    assert t.leaks("Where were you born?")
    assert not t.leaks("Where was your father born?")


def test_everyday_set_is_labelled_and_balanced():
    everyday = items("everyday_blanks.jsonl")
    assert len(everyday) >= 400
    counts = Counter(it["category"] for it in everyday)
    assert set(counts) == EVERYDAY_CATEGORIES and min(counts.values()) >= 30
    texts = [it["text"] for it in everyday]
    assert len(set(texts)) == len(texts)
    for it in everyday:
        assert it["text"].count("___") == 1, it
        assert re.fullmatch(r"[A-Za-z]+", it["answer"]) and it["answer"] not in it["alternatives"]


def test_generated_text_is_at_most_a_quarter_of_default():
    generated = {f for entry in corpora.manifest().values()
                 for f, how in entry.get("provenance", {}).items() if how.startswith("generated")}
    assert generated == {"grammar.txt", "chat_templated.txt"}
    mine = [f for f in corpora.files("default") if f in generated]
    share = sum(len((ROOT / f).read_text("utf-8")) for f in mine) / len(corpora.read("default"))
    assert share <= 0.25, share
