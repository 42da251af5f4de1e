"""The Kneser-Ney word n-gram baseline (lm/ngram.py): honest bits, hand-checked discounts, fill."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from lm.ngram import NGram
from lm.ngram_text import SPACE_CHARS, _has_upper, case_of, lower, tokenize

TEXT = (
    "I am a boy. You are a girl. We are friends.\n"
    "The cat is on the mat. The dog is in the garden.\n"
    "She has a red ball. He has a blue kite. I have 2 cats and 3 dogs.\n\n"
    "They go to school in the morning and come home at night.\n"
) * 6 + "Zebras ran. NASA said \"Hello!\" and left (quickly).\n"


@pytest.fixture(scope="module")
def models() -> dict[int, NGram]:
    return {k: NGram.count(TEXT, order=k) for k in (1, 2, 3, 4, 5)}


def dense(ng: NGram, context: list[str]) -> np.ndarray:
    """p(w | context) for every w of the vocabulary, one stream per w (the slow way)."""
    ctx = [ng.index.get(lower(t), 0) for t in context]
    out = []
    for w in range(ng.vocab_size):
        stream = np.array([2, 2, *ctx, w], np.int64)
        out.append(ng._probs(stream, ng._rows(stream))[-1])
    return np.array(out)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_distribution_sums_to_one(models, order):
    ng = models[order]
    for context in ([], ["the"], ["the", "cat"], ["on", "the", "mat"], ["i", "have"], [".", "\n"],
                    ["in", "the", "morning", "and"], ["zebras", "unseen", "words"]):
        p = dense(ng, context)
        assert (p > 0).all()
        assert p.sum() == pytest.approx(1.0, abs=1e-9)


def test_kneser_ney_by_hand():
    # Stream "\n \n a b a b a c </s>", all seen words kept. Bigram counts: (\n \n) 1, (\n a) 1,
    # (a b) 2, (b a) 2, (a c) 1, (c </s>) 1: n1=4, n2=2, n3=0 so Y=1/2, D1=1/2, D2=2.
    # Continuation counts: a 2 (after \n, b), b, c, </s>, \n 1 each, <unk> 0; total 6:
    # n1=4, n2=1, so Y=2/3, D1=2/3, D2=2; gamma = (4*2/3 + 2)/6 = 7/9.
    # p1(b) = (1 - 2/3)/6 + 7/9 * 1/6 = 5/27;  p1(a) = 0 + 7/54.
    # p(b | a) = (2 - 2)/3 + gamma(a) p1(b), gamma(a) = (D2 + D1)/3 = 5/6:  25/162.
    # p(a | \n) = (1 - 1/2)/2 + gamma(\n) p1(a), gamma(\n) = 2 D1 / 2 = 1/2:  17/54.
    ng = NGram.count("a b a b a c", order=2, min_count=1)
    assert ng.vocab == ["<unk>", "</s>", "\n", "a", "b", "c"]
    ngram_bits = ng._costs(*tokenize("a b"))[:, 0]
    assert 2 ** -ngram_bits[0] == pytest.approx(17 / 54)
    assert 2 ** -ngram_bits[1] == pytest.approx(25 / 162)


def test_tokens_give_back_the_text():
    text = "Don't stop,  it's 3.5\tkm!\n\n  (Really)   \u00e9t\u00e9 \U0001F600 \uc548\ub155 "
    toks, trail = tokenize(text)
    assert "".join(s + t for s, t, _ in toks) + trail == text
    assert [t for _, t, _ in toks][:6] == ["Don't", "stop", ",", "it's", "3", "."]
    assert all(text[i:i + len(t)] == t for _, t, i in toks)
    # Lower case is undone letter by letter: each capital is the one upper form of its lower form.
    for tok in ("iPhone", "\u0130stanbul", "STRA\u1e9eE", "\u212a", "\u01c5ungla", "\u03a3\u039f\u03a3",
                "\u00c9T\u00c9", "\uc548\ub155"):
        low = lower(tok)
        assert len(low) == len(tok)
        assert all(t == lo or (_has_upper(lo) and lo.upper() == t) for t, lo in zip(tok, low))
    assert SPACE_CHARS == "".join(c for c in map(chr, range(0x110000)) if c.isspace() and c != "\n")


def test_case_classes_are_a_distribution(models):
    ng = models[3]
    variants = ("iphone", "Iphone", "IPHONE", "iPhone")
    assert [case_of(w, "iphone")[0] for w in variants] == [0, 1, 2, 3]
    assert case_of("3D", "3d") == (1, 1)  # the first letter with a capital, not the first character
    for word in ("i", "ab", "cat", "zebras", "3d"):  # every upper/lower pattern of the word
        variants = {"".join(c.upper() if (i >> j) & 1 else c for j, c in enumerate(word))
                    for i in range(2 ** len(word))}
        for after in (0, 1):
            cases = [case_of(v, word) for v in variants]
            wid = ng.index.get(word, 0)
            bits = ng.case.bits([wid] * len(variants), [after] * len(variants),
                                [c for c, _ in cases], [m for _, m in cases])
            assert (2.0 ** -bits).sum() == pytest.approx(1.0)


def test_bits_are_the_sum_of_token_surprisals(models):
    ng = models[5]
    for text in ("The cat is on the mat.", "Zebras ran to NASA with an iPhone.\n",
                 "a  b\t c", "\U0001F600 \uc548\ub155 caf\u00e9 \u0130stanbul STRA\u00dfE \u212a",
                 "  ", "", "The unheard-of xylophone!!"):
        bits = ng.bits(text)
        spans = ng.token_surprisals(text)
        assert math.isfinite(bits) and bits > 0
        assert sum(b for _, _, b in spans) == pytest.approx(bits, rel=1e-12)
        assert ng.logprob(text) == pytest.approx(-bits * math.log(2))
        tokens = [t for _, t, _ in tokenize(text)[0]]
        if tokens:
            assert [text[s:e] for s, e, _ in spans] == tokens
    # Odd case, spacing and unseen characters cost more than the plain text.
    assert ng.bits("the cat is on the mat.") < ng.bits("the cAt is on the mat.")
    assert ng.bits("the cat is on the mat.") < ng.bits("the cat  is on the mat.")
    assert ng.bits("the cat is on the mat.") < ng.bits("the \uc548 is on the mat.")
    assert ng.bits_per_char("The cat is on the mat.") < 3


def test_fill_uses_the_right_context():
    text = ("the dog barked . " * 5 + "the cat meowed . " * 2 + "a cat sat . a dog sat . ") * 4
    ng = NGram.count(text, order=3)
    left_only = ng._left(3, ng._rows(np.array([2, 2, ng.index["the"], 0, 1])))
    words = [ng.vocab[i] for i in ng._candidates]
    assert words[int(np.argmax(left_only))] == "dog"
    top = ng.fill("the ___ meowed .")
    assert top[0][0] == "cat"
    assert ng.fill("The ___ barked.")[0][0] == "dog"
    assert sum(math.exp(lp) for _, lp in ng.fill("the ___ meowed .", k=10**6)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="blank"):
        ng.fill("no blank here")


@pytest.mark.parametrize("order", [3, 5])
def test_fill_equals_the_naive_ranking(models, order):
    ng = models[order]
    words = [ng.vocab[i] for i in ng._candidates]
    for text in ("The ___ is on the mat.", "___ am a boy.", "I have ___ cats and 3 dogs.",
                 "She has a red ___", "They go to ___ in the morning and come home at night.",
                 "We are ___. The cat"):
        fast = ng._fill_logprobs(text)
        left = text[:text.index("___")]
        blank = len(tokenize(left)[0])
        naive = []
        for w in words:
            costs = ng._costs(*tokenize(text.replace("___", w)))
            naive.append(-(costs.sum() - costs[blank, 3]) * math.log(2))  # the blank's case is free
        naive = np.array(naive)
        np.testing.assert_allclose(fast, naive - np.logaddexp.reduce(naive), atol=1e-9)
        top = np.argsort(-fast, kind="stable")[:3]
        assert ng.fill(text, 3) == [(words[i], float(fast[i])) for i in top]


def test_bytes_round_trip_and_damage(models):
    ng = models[4]
    blob = ng.to_bytes()
    back = NGram.from_bytes(blob)
    assert (back.order, back.vocab, back.vocab_size) == (ng.order, ng.vocab, ng.vocab_size)
    for text in ("The cat is on the mat.", "Zebras and \U0001F600 iPhone\t NASA"):
        assert back.bits(text) == ng.bits(text)
    assert back.fill("The ___ is on the mat.") == ng.fill("The ___ is on the mat.")
    for where in (3, len(blob) // 2, len(blob) - 1):
        bad = bytearray(blob)
        bad[where] ^= 0x10
        with pytest.raises(ValueError, match="header|damaged"):
            NGram.from_bytes(bytes(bad))
    with pytest.raises(ValueError):
        NGram.from_bytes(blob[:-7])


def test_no_ui_or_torch_imports():
    code = ("import sys, lm.ngram; bad = {'torch', 'textual', 'click', 'rich'} & set(sys.modules); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
