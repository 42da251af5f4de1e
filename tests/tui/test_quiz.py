"""Quiz mode in the real app: a full round against a tiny real model."""

import io

from rich.console import Console
from textual.widgets import Input, Static

import lm
from tui.app import make_app
from tui.modes.quiz import QuizScreen, QuizSetup


async def wait_for(pilot, screen, state, tries=200):
    for _ in range(tries):
        if screen.state == state:
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the quiz stayed in {screen.state!r}, never reached {state!r}")


def screen_text(screen) -> str:
    """What the quiz's panels say, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    for widget in screen.query(Static):
        console.print(widget.content)
    return console.export_text()


async def test_a_three_question_round_scores_you_and_the_model(app_model):
    setup = QuizSetup(corpus="grammar", n=3, seed=11)
    expected = lm.quiz.items(app_model, corpus="grammar", n=3, seed=11)
    app = make_app(app_model, mode="quiz", setup=setup)
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.state == "start"
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        assert screen.round.current.text == expected[0].text
        assert app.focused is screen.query_one("#quiz-answer", Input)

        # One right (in capitals, with a full stop), one wrong, one skipped.
        await pilot.press(*expected[0].answer.upper() + ".", "enter")
        await wait_for(pilot, screen, "reveal")
        assert "✓" in screen_text(screen) and "the model's top 5" in screen_text(screen)
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        await pilot.press(*"xyzzy", "enter")
        await wait_for(pilot, screen, "reveal")
        assert "✗" in screen_text(screen)
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        await pilot.press("escape")
        await wait_for(pilot, screen, "reveal")
        assert "skipped" in screen_text(screen)
        await pilot.press("enter")
        await wait_for(pilot, screen, "summary")

        r = screen.round
        model_right = sum(item.model_right for item in expected)
        assert [a.guess for a in r.answers] == [expected[0].answer.upper() + ".", "xyzzy", None]
        assert (r.you, r.model) == (1, model_right)
        # The model's answers are the engine's own top-k for each item.
        assert [a.item.model_candidates for a in r.answers] == \
            [item.model_candidates for item in expected]
        text = screen_text(screen)
        assert f"you 1/3, the model {model_right}/3" in text
        for item in expected:
            assert item.category in text

    saved = lm.best_and_last()["grammar"]["last"]
    assert (saved["you"], saved["model_score"], saved["items"], saved["seed"]) == \
        (1, model_right, 3, 11)


async def test_the_start_screen_shows_best_and_last_scores(app_model):
    lm.save_round({"corpus": "grammar", "items": 10, "you": 8, "model_score": 6})
    lm.save_round({"corpus": "grammar", "items": 10, "you": 5, "model_score": 7})
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", n=3, seed=1))
    async with app.run_test(size=(110, 36)):
        text = screen_text(app.screen)
        assert "8/10 (model 6)" in text and "5/10 (model 7)" in text


async def test_f6_opens_the_quiz_and_f5_returns_to_writing(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("f5")
        assert not isinstance(app.screen, QuizScreen)


async def test_an_unwritable_history_shows_a_notice_and_the_round_stays(app_model, isolated_home,
                                                                        monkeypatch):
    blocked = isolated_home / "blocked"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("RNN_TUI_HOME", str(blocked))
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", n=1, seed=3))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        await pilot.press("escape")
        await wait_for(pilot, screen, "reveal")
        await pilot.press("enter")
        await wait_for(pilot, screen, "summary")
        assert "Round over" in screen_text(screen)
        assert "not saved: could not save the score" in screen_text(screen)


def test_the_empty_box_does_not_give_the_answers_length_away_and_never_wraps():
    from tui.modes.quiz.screen import _boxed

    short = lm.QuizItem("I ___ a boy.", "am")
    long = lm.QuizItem("The ___ barked.", "neighbour's")
    box = lambda item: _boxed(item, None).plain.split("[")[1].split("]")[0]
    assert box(short) == box(long)
    assert " " not in box(short)  # no-break spaces only: a wrap cannot split the box


async def test_a_word_that_fits_the_slot_counts_and_the_reveal_lists_the_accepted_set(app_model):
    seed, item = next((s, i) for s in range(60)
                      for i in lm.quiz.items(app_model, corpus="grammar", n=1, seed=s, rated=False)
                      if i.source.endswith("split") and i.alternatives)
    other = item.alternatives[0]
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", n=1, seed=seed))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        await pilot.press(*other, "enter")
        await wait_for(pilot, screen, "reveal")
        text = screen_text(screen)
        assert f"✓ {other}" in text
        assert "accepted: " + ", ".join((item.answer, *item.alternatives)) in text
        assert lm.quiz.FITS_RULE in text
        # Counting's guess beside the network's: the word 5-gram of the model's own text.
        counted = [w for w, _ in app_model.ngram().fill(item.text, k=3)]
        assert "counting (a word 5-gram of the same text) guessed: " + ", ".join(counted) in text


async def test_another_mode_keeps_the_round_where_it_was(app_model):
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", n=3, seed=5))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        asked = screen.round.current.text
        await pilot.press("f5")
        await pilot.pause()
        assert app.current_mode == "write" and app.screen.query("#prompt")
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen is screen and screen.state == "question"
        assert screen.round.current.text == asked


async def test_leaving_from_the_start_screen_asks_nothing(app_model):
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", n=3, seed=5))
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)
        assert app.screen.query("#prompt")


async def test_the_start_screen_draws_the_corpus_ahead_while_you_read_it(app_model):
    """The slow part of drawing a round runs as the first page shows, and again for a corpus
    picked in the options: Enter then finds it done."""
    from textual.widgets import Select

    from lm.quiz import sources

    sources._BLANKABLE.clear()
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", n=3, seed=4))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        await app.workers.wait_for_complete()
        assert [split for _, split in sources._BLANKABLE] == ["val"]
        screen.query_one("#quiz-corpus", Select).value = "chat"
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert len(sources._BLANKABLE) == 2
        await pilot.press("enter")
        await wait_for(pilot, screen, "question")
        assert len(sources._BLANKABLE) == 2  # the round found the chat corpus's words done


async def test_the_start_screen_sets_corpus_category_and_length(app_model):
    from textual.widgets import Select

    app = make_app(app_model, mode="quiz", setup=QuizSetup(n=10, seed=4))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        screen.query_one("#quiz-corpus", Select).value = "grammar"
        screen.query_one("#quiz-category", Select).value = "article"
        n = screen.query_one("#quiz-n", Input)
        n.focus()
        await pilot.press("backspace", "backspace", "2", "enter")  # Enter in the box starts too
        await wait_for(pilot, screen, "question")
        assert len(screen.round.items) == 2
        assert {i.category for i in screen.round.items} == {"article"}
        assert screen.round.items == lm.quiz.items(app_model, corpus="grammar", n=2,
                                                   category="article", seed=4, rated=False)
        assert not screen.query_one("#quiz-options").display


async def test_a_bad_question_count_is_refused_with_a_notice(app_model):
    app = make_app(app_model, mode="quiz", setup=QuizSetup(corpus="grammar", seed=4))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = app.screen
        screen.query_one("#quiz-n", Input).value = "0"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.state == "start"
        assert any("not a number from 1 to 200" in str(n.message) for n in app._notifications)
