"""Quiz items, answers, rounds and the score history (lm, no UI)."""

from __future__ import annotations

import json

import pytest

import lm
from lm.quiz import sources as quiz
from lm.corpus import load_corpus
from lm.quiz.history import best_and_last, rounds, save_round

FRACTIONS = (0.9, 0.05, 0.05)


def test_the_same_seed_draws_the_same_quiz_and_another_seed_another():
    first = quiz.items(corpus="default", n=15, seed=7)
    assert first == quiz.items(corpus="default", n=15, seed=7)
    assert [i.text for i in first] != [i.text for i in quiz.items(corpus="default", n=15, seed=8)]
    assert len(first) == 15


@pytest.mark.parametrize("split", ["val", "test"])
def test_items_never_come_from_the_training_text(split):
    train = load_corpus(["default"]).split(FRACTIONS)["train"]
    pool = quiz.pool(("default",), FRACTIONS, split)
    from_split = [i for i in pool if i.source == f"{split} split"]
    assert len(from_split) > 500
    leaked = [i.sentence for i in pool if i.sentence in train]
    assert leaked == []


def test_split_items_blank_one_word_of_a_known_class():
    items = quiz.split_items(("default",), FRACTIONS, "val", seed=1)
    assert {i.category for i in items} == {"be-verb", "article", "preposition", "pronoun",
                                           "content"}
    for item in items[:200]:
        assert item.text.count(quiz.BLANK) == 1
        assert quiz.category_of(item.answer) == item.category
        assert not (item.category == "pronoun" and item.text.startswith(quiz.BLANK))


def test_a_category_filter_keeps_only_that_category():
    items = quiz.items(corpus="default", n=12, category="agreement", seed=3)
    assert len(items) == 12 and {i.category for i in items} == {"agreement"}


def test_a_corpus_without_the_blank_set_draws_from_its_split_only():
    items = quiz.items(corpus="ko", n=5, seed=1)
    assert items and all(i.source == "val split" for i in items)


@pytest.mark.parametrize("guess", ["am", "AM", " am ", "am.", "\"Am!\""])
def test_answers_ignore_case_and_surrounding_punctuation(guess):
    assert quiz.QuizItem("I ___ a boy.", "am").accepts(guess)


def test_listed_alternatives_are_accepted_and_other_words_are_not():
    item = quiz.QuizItem("She swam in the ___.", "sea", ("lake", "pool"))
    assert item.accepts("Lake") and item.accepts("pool")
    assert not item.accepts("sky") and not item.accepts("seas") and not item.accepts("")


def test_rating_gives_the_models_own_top_k_and_a_difficulty(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    item = quiz.rate(model, quiz.QuizItem("I ___ a boy.", "am", category="be-verb"))
    [expected] = model.fill("I ___ a boy.", k=5)
    assert [w for w, _ in item.model_candidates] == [c.token_str for c in expected]
    assert item.confidence == pytest.approx(expected[0].score)
    assert item.difficulty == quiz.difficulty_of(item.confidence)


def test_difficulty_follows_the_models_confidence():
    assert [quiz.difficulty_of(p) for p in (0.95, 0.5, 0.1)] == ["easy", "medium", "hard"]


def _rated(answer, model_first, category="be-verb"):
    return quiz.QuizItem("x ___ y.", answer, category=category,
                         model_candidates=((model_first, 0.9), ("other", 0.1)))


def test_a_round_keeps_score_streaks_and_categories():
    items = [_rated("am", "am"), _rated("is", "was"), _rated("the", "the", "article"),
             _rated("a", "a", "article"), _rated("on", "in", "preposition")]
    r = lm.Round(list(items))
    for guess in ["am", "are", "the", "A", None]:
        r.answer(guess)
    assert r.done and r.current is None
    assert (r.you, r.model) == (3, 3)
    assert (r.streak, r.best_streak) == (0, 2)
    assert r.by_category() == {"be-verb": {"items": 2, "you": 1, "model": 1},
                               "article": {"items": 2, "you": 2, "model": 2},
                               "preposition": {"items": 1, "you": 0, "model": 0}}
    record = r.record(["default"], "tiny", 4)
    assert record["you"] == 3 and record["model_score"] == 3 and record["seed"] == 4


def test_history_keeps_best_and_last_per_corpus_and_skips_broken_lines(tmp_path):
    path = tmp_path / "history.jsonl"
    save_round({"corpus": "default", "items": 10, "you": 6, "model_score": 8}, path)
    save_round({"corpus": "default", "items": 10, "you": 9, "model_score": 8}, path)
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"corpus": "default", "items": 10, "yo\n')  # a line cut short
        f.write("[1, 2]\n")
    save_round({"corpus": "default", "items": 10, "you": 7, "model_score": 8}, path)
    save_round({"corpus": "ko", "items": 5, "you": 2, "model_score": 1}, path)
    assert len(rounds(path)) == 4
    summary = best_and_last(path)
    assert summary["default"]["best"]["you"] == 9
    assert summary["default"]["last"]["you"] == 7
    assert summary["ko"]["best"] == summary["ko"]["last"]
    assert all(json.loads(line) for line in path.read_text().splitlines()[:2])


def test_history_lives_in_the_user_data_folder(isolated_home):
    save_round({"corpus": "default", "items": 1, "you": 1, "model_score": 0})
    assert lm.history_path().parent == isolated_home / "data"
    assert len(rounds()) == 1
    assert rounds(isolated_home / "missing.jsonl") == []


def test_a_round_after_a_cut_short_line_is_kept_apart(tmp_path):
    path = tmp_path / "h.jsonl"
    save_round({"corpus": "grammar", "items": 10, "you": 4, "model_score": 5}, path)
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"corpus": "grammar", "items": 10, "yo')  # the disk filled up mid-line
    save_round({"corpus": "grammar", "items": 10, "you": 9, "model_score": 5}, path)
    assert [r["you"] for r in rounds(path)] == [4, 9]


@pytest.mark.parametrize("line", ['{"corpus": "grammar", "items": "ten", "you": 3}',
                                  '{"corpus": 7, "items": 10, "you": 3}',
                                  '{"corpus": "grammar", "items": 10, "you": 30}',
                                  '["corpus", "items", "you"]'])
def test_records_of_the_wrong_shape_are_skipped(tmp_path, line):
    path = tmp_path / "h.jsonl"
    path.write_text(line + "\n")
    save_round({"corpus": "grammar", "items": 10, "you": 6, "model_score": 5}, path)
    assert [r["you"] for r in rounds(path)] == [6]
    assert best_and_last(path)["grammar"]["best"]["you"] == 6


def test_an_unwritable_history_is_one_clear_error(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(lm.LMError, match="could not save the score"):
        save_round({"corpus": "grammar", "items": 1, "you": 1}, blocked / "h.jsonl")


def test_a_corpus_sentences_blank_accepts_every_word_that_fits_its_slot():
    # The examples: the model's own "the" and "you" were marked wrong.
    items = {i.text: i for seed in (3, 5) for i in quiz.split_items(("default",), FRACTIONS,
                                                                      "val", seed=seed)}
    rug, invite = items["Does she print ___ rug?"], items["Do ___ invite a helper?"]
    assert rug.accepts("a") and rug.accepts("The") and not rug.accepts("an")
    assert invite.accepts("I") and invite.accepts("you") and not invite.accepts("he")


def test_the_fits_wherever_a_or_an_does_even_before_a_rare_noun():
    items = quiz.split_items(("default",), FRACTIONS, "val", seed=1)
    indefinite = [i for i in items if i.answer.casefold() in ("a", "an")]
    assert len(indefinite) > 50 and all(i.accepts("the") for i in indefinite)
    zoo = [i for i in items if "___ zookeeper" in i.text]
    assert all(i.accepts("the") for i in zoo)


def test_what_fits_is_read_from_the_corpus_text_by_the_blanks_neighbours():
    from lm.quiz.fits import Fits, Slot

    text = "She has a red ball. He saw the red kite fly.\nI am here. The dog has a red hat."
    rug = Slot.of("She has ___ red ball.", 8, 11)
    am = Slot.of("I ___ here.", 2, 5)
    hat = Slot.of("She has a red ___.", 14, 17)
    fits = Fits(text, {rug, am, hat}, quiz.CLASS_WORDS)
    # Closed classes: a word of the class seen after the word before AND before the word after.
    assert fits.words(rug, "article") == {"a"}  # "has the" never occurs
    assert fits.words(am, "be-verb") == {"am"}
    # Content words: the three words in a row.
    assert fits.words(hat, "content") == {"ball", "hat"}


def test_a_content_blank_too_open_to_decide_is_not_asked():
    from lm.quiz.fits import MAX_FITS

    items = quiz.split_items(("default",), FRACTIONS, "val", seed=1)
    content = [i for i in items if i.category == "content"]
    assert len(content) > 300
    assert max(len(i.alternatives) + 1 for i in content) <= MAX_FITS
    # A frame the text shows only in this sentence cannot say what else fits ("is", "was"):
    drawn = {i.text for seed in range(1, 6) for i in quiz.split_items(("default",), FRACTIONS,
                                                                         "val", seed=seed)}
    assert "The trailer ___ smaller." not in drawn and "___ trailer got smaller." in drawn
