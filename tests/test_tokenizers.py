import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lm.tokenizers import UNK, CharTokenizer, SentencePieceTokenizer, fingerprint, from_bytes

TRAIN = (
    "I am a boy. You are a girl. 나는 소년이다. 너는 소녀다.\n"
    "The hidden state is carried from step to step.\n"
    "순환 신경망은 은닉 상태를 다음 단계로 넘긴다. 1234567890 !?,.;:'\"()-\t"
) * 20


@pytest.fixture(scope="module")
def sp() -> SentencePieceTokenizer:
    return SentencePieceTokenizer.train(TRAIN, vocab_size=330)


@given(st.text(alphabet=sorted(set(TRAIN))))
def test_char_round_trip_on_its_alphabet(text):
    tok = CharTokenizer.train(TRAIN)
    assert tok.decode(tok.encode(text)) == text


def test_char_unseen_characters_map_to_unknown():
    tok = CharTokenizer.train("abc")
    ids = tok.encode("abz€")
    assert ids[-2:] == [0, 0]
    assert tok.decode(ids) == "ab" + UNK + UNK


# U+2581 is sentencepiece's own word-boundary marker and comes back as a space (documented).
ANY_TEXT = st.text(st.characters(blacklist_characters="\u2581", blacklist_categories=("Cs",)))


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_sp_round_trip_any_text(sp, text):
    assert sp.decode(sp.encode(text)) == text


@settings(deadline=None)
@given(st.text(alphabet="가나다라마바사아자차카타파하 은는이가을를\n", min_size=1))
def test_sp_round_trip_hangul(sp, text):
    assert sp.decode(sp.encode(text)) == text


def test_sp_unseen_script_uses_byte_fallback_not_unknown(sp):
    ids = sp.encode("Ωμέγα 🙂")
    assert sp._sp.unk_id() not in ids
    assert sp.decode(ids) == "Ωμέγα 🙂"


def test_sp_is_deterministic_and_serialises(sp):
    again = SentencePieceTokenizer.train(TRAIN, vocab_size=330)
    assert again.to_bytes() == sp.to_bytes()
    restored = from_bytes("sp", sp.to_bytes())
    assert restored.encode(TRAIN[:200]) == sp.encode(TRAIN[:200])
    assert fingerprint(restored) == fingerprint(sp)


def test_sp_too_large_vocab_is_lowered_with_one_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tok = SentencePieceTokenizer.train("the cat sat on the mat\n" * 30, vocab_size=50_000)
    assert len(caught) == 1
    assert "--vocab-size 50000" in str(caught[0].message)
    assert tok.vocab_size < 50_000


def test_sp_bpe_type_trains():
    tok = SentencePieceTokenizer.train(TRAIN, vocab_size=330, model_type="bpe")
    assert tok.decode(tok.encode("I am a boy.")) == "I am a boy."


def test_char_serialises():
    tok = CharTokenizer.train(TRAIN)
    again = from_bytes("char", tok.to_bytes())
    assert again.chars == tok.chars
    assert fingerprint(again) == fingerprint(tok)
