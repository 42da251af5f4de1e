"""Candidates are real words: words of the model's training text, never spellings like 'thatpy'."""

from __future__ import annotations

import re

import lm
from lm.infer import blanks
from lm.infer.lexicon import Lexicon, lexicon_for
from lm.infer.words import next_words

from .helpers import TINY_TEXT

TINY_WORDS = set(re.findall(r"[\w']+", TINY_TEXT.casefold()))


def test_the_lexicon_is_the_training_texts_words_casefolded(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    assert model.lexicon.words == TINY_WORDS
    assert "The" in model.lexicon and "garden" in model.lexicon and "gat" not in model.lexicon


def test_a_model_whose_text_is_gone_has_no_lexicon_and_no_filter():
    assert lexicon_for({"train_config": {"corpus": ["/no/such/file.txt"]}}) is None
    assert lexicon_for({}) is None


def test_blank_candidates_are_real_words_only(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    text = "The ___ is in the garden."
    raw = [c.token_str for c in blanks.fill(model.engine, text, k=8)[0]]
    assert any(w.casefold() not in TINY_WORDS for w in raw)  # the model alone spells junk
    kept = [c.token_str for c in model.fill(text, k=8)[0]]
    assert kept and all(w.casefold() in TINY_WORDS for w in kept)
    assert abs(sum(c.score for c in model.fill(text, k=64)[0]) - 1) < 1e-4  # shares of real words


def test_word_candidates_are_real_words_only(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    for text in ("The ", "She has a ", "I am a b"):
        kept = model.next_words(text, 8)
        assert kept and all(c.token_str.casefold() in TINY_WORDS for c in kept)
    raw = next_words(model.session("The "), 8)
    assert any(c.token_str.casefold() not in TINY_WORDS for c in raw)  # what it spells alone


def test_a_lexicon_is_made_of_whole_words():
    lexicon = Lexicon.of_text("Don't stop. The kite's red!")
    assert set(lexicon.words) == {"don't", "stop", "the", "kite's", "red"}
