"""occurring(text, needles) is `[n in text for n in needles]`, only faster (lm/quiz/occurrence.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lm.quiz import occurrence
from lm.quiz.occurrence import WINDOW, occurring

# A small alphabet, one letter of it two bytes and one four in UTF-8, so windows repeat often and
# a match can start or end inside a character's bytes.
LETTERS = st.sampled_from("ab é🙂.\n")
TEXTS = st.text(LETTERS, max_size=300)


@st.composite
def text_and_needles(draw):
    text = draw(TEXTS)
    cut = st.tuples(st.integers(0, len(text)), st.integers(0, 40))
    inside = [text[i:i + n] for i, n in draw(st.lists(cut, max_size=8))]
    # Pieces of the text joined: every window occurs, the whole often does not.
    glued = ["".join(draw(st.lists(st.sampled_from(inside or [""]), max_size=4))) for _ in inside]
    return text, inside + glued + draw(st.lists(st.text(LETTERS, max_size=40), max_size=8))


@settings(max_examples=300, deadline=None)
@given(text_and_needles())
def test_it_answers_what_in_answers(case):
    text, needles = case
    assert occurring(text, needles) == [n in text for n in needles]


@settings(max_examples=200, deadline=None)
@given(text_and_needles(), st.integers(1, 40))
def test_a_text_read_in_small_blocks_answers_the_same(case, block):
    text, needles = case
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(occurrence, "BLOCK", block)  # a match across a block's end, many times over
        assert occurring(text, needles) == [n in text for n in needles]


def test_at_the_edges_of_the_text_and_of_each_other():
    text = "It is a dog. She has a red ball. The cat is on the mat."
    needles = ["It is a dog.", "on the mat.", "She has a red ball.", "has a red ball. The",
               "She has a blue ball.", "It is a cat.", "It", "", "It is a dog. She has a red"
               "ball.", text, text + " ", "e has a red ball. The cat is on the mat"]
    assert occurring(text, needles) == [n in text for n in needles]
    assert occurring(text, needles)[:6] == [True, True, True, True, False, False]


def test_a_sentence_is_compared_where_its_rarest_window_stands():
    # "It is a " stands 21 times, "s a dog." once: the dog is found by that window, 4 bytes in.
    text = "It is a cat. " * 20 + "It is a dog. " + "It is a cat. " * 5
    needles = ["It is a dog.", "cat. It is a dog. It", "It is a cat. It is a dog. It is a cow."]
    assert occurring(text, needles) == [True, True, False]


def test_a_text_shorter_than_a_window():
    assert occurring("abc", ["abc", "ab", "abcd", "x" * WINDOW]) == [True, True, False, False]
    assert occurring("", ["", "a"]) == [True, False]
