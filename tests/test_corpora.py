"""The bundled corpora: registry, generator reproducibility, and the properties we promise."""

import json
import re

import pytest

import corpora
from corpora.generator import generate
from corpora.generator.grammar import article, past, plural, third_person


def test_registry_lists_every_corpus_and_reads_it():
    assert {"grammar", "stories", "chat", "ko", "default"} <= set(corpora.names())
    for name in corpora.names():
        assert len(corpora.read(name)) > 10_000


def test_default_mixes_the_english_corpora():
    assert corpora.files("default") == corpora.files("everyday") + corpora.files("stories") + \
        corpora.files("chat") + corpora.files("grammar")


def test_every_file_says_where_it_came_from():
    for entry in corpora.manifest().values():
        if "files" in entry:
            assert set(entry["provenance"]) == set(entry["files"]), entry["name"]


@pytest.mark.parametrize("name, minimum", [("everyday", 2_000_000), ("grammar", 780_000), ("stories", 200_000),
                                           ("chat", 100_000), ("ko", 40_000)])
def test_sizes(name, minimum):
    assert corpora.manifest()[name]["bytes"] >= minimum


def test_generated_files_match_the_generator():
    assert generate.main(["--check"]) == 0


def test_manifest_figures_match_the_files():
    committed = json.loads((generate.ROOT / "MANIFEST.json").read_text("utf-8"))
    assert generate.manifest_with_figures(committed) == committed


@pytest.fixture(scope="module")
def grammar_sentences():
    return generate.grammar_sentences(generate.GRAMMAR_SEED, generate.GRAMMAR_BYTES)


def test_grammar_is_varied(grammar_sentences):
    assert generate.duplicate_share(grammar_sentences) < 0.05
    assert corpora.manifest()["grammar"]["distinct_words"] >= 1500


def test_tutorial_examples_are_natural_members(grammar_sentences):
    assert "I am a boy." in grammar_sentences
    assert "You are a girl." in grammar_sentences


BAD_AGREEMENT = re.compile(
    r"\b(I (is|are|has|does|were)|(He|She|It) (am|are|have|do|were)|(We|They|You) (is|am|has|does|was)"
    r"|an [bcdfgjklmnpqrstvwxz]\w*|a [aeio]\w*)\b"
)


def test_grammar_has_no_agreement_or_article_errors(grammar_sentences):
    errors = [s for s in grammar_sentences if BAD_AGREEMENT.search(s)]
    assert errors == [], errors[:5]


@pytest.mark.parametrize(
    "fn, word, expected",
    [(plural, "box", "boxes"), (plural, "baby", "babies"), (plural, "child", "children"),
     (plural, "day", "days"), (third_person, "carry", "carries"), (third_person, "watch", "watches"),
     (third_person, "play", "plays"), (third_person, "have", "has"), (past, "stop", "stopped"),
     (past, "study", "studied"), (past, "bake", "baked"), (past, "go", "went"),
     (article, "hour", "an"), (article, "useful", "a"), (article, "apple", "an"),
     (article, "boy", "a")],
)
def test_word_forms(fn, word, expected):
    assert fn(word) == expected


@pytest.fixture(scope="module")
def blanks():
    path = generate.ROOT / "blanks.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_blank_set_is_labelled_and_balanced(blanks):
    assert len(blanks) >= 500
    assert {b["category"] for b in blanks} == set(generate.CATEGORIES)
    for b in blanks:
        assert b["text"].count("___") == 1
        assert b["answer"] and b["answer"] not in b["alternatives"]


def test_blank_items_never_appear_in_the_training_text(blanks):
    text = (generate.ROOT / "grammar.txt").read_text("utf-8")
    for b in blanks:
        filled = b["text"].replace("___", b["answer"])
        filled = filled[0].upper() + filled[1:]
        assert filled not in text, filled


def test_chat_turn_format():
    for conversation in corpora.read("chat").split("\n\n"):
        lines = conversation.strip("\n").split("\n")
        assert lines[0].startswith("A: "), conversation
        assert all(line.startswith(("A: ", "B: ")) for line in lines), conversation


def test_korean_corpus_is_korean():
    text = corpora.read("ko")
    hangul = sum("\uac00" <= c <= "\ud7a3" for c in text)
    assert hangul / len(text) > 0.5
