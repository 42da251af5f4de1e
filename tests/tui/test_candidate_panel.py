"""The side panel under run_test: candidates for the blank and the word being typed, picked by key or click."""

import pytest

import lm

from tui.app import make_app
from tui.modes.write.panel import CandidatePanel
from tui.modes.write.prompt import Prompt

from .app_helpers import settle, words


async def test_typing_updates_the_panel_with_the_engines_top_k(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"I am a b")
        await settle(app, pilot)
        panel = app.query_one(CandidatePanel)
        assert panel.result.text == "I am a b"
        assert [c.token_str for c in panel.result.candidates] == words(app_model, "I am a b")
        assert panel.result.candidates[0].token_str == "boy"


async def test_a_blank_shows_its_candidates_and_alt_1_picks(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"I ___ a boy.")
        await settle(app, pilot)
        panel = app.query_one(CandidatePanel)
        assert panel.result.blank and panel.result.candidates[0].token_str == "am"
        assert panel.result.preview == "I am a boy."
        await pilot.press("alt+1")
        assert app.query_one(Prompt).value == "I am a boy."


async def test_alt_digits_pick_where_the_terminal_sends_alt_as_an_escape(app_model):
    """tmux, GNOME Terminal, Konsole and Alacritty send Alt+2 as ESC then 2: fed through the
    app's own input parser, that must pick the second candidate, not type a symbol."""
    from textual._xterm_parser import XTermParser

    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"I ___ a boy.")
        await settle(app, pilot)
        second = app.query_one(CandidatePanel).result.candidates[1].token_str
        for event in XTermParser().feed("\x1b2"):
            app.screen.focused.post_message(event)
        await pilot.pause()
        assert app.query_one(Prompt).value == f"I {second} a boy."
        # Without a blank in the line the character is text, as the user's terminal meant it.
        prompt = app.query_one(Prompt)
        prompt.value = "Price"
        for event in XTermParser().feed("\x1b2"):
            prompt.post_message(event)
        await pilot.pause()
        assert prompt.value == "Price™"


async def test_tab_puts_the_best_candidate_in_the_blank(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"You ___ a girl.")
        await settle(app, pilot)
        await pilot.press("tab")
        assert app.query_one(Prompt).value == "You are a girl."


async def test_digits_typed_next_to_a_blank_are_text(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        for key in "I have ___ apples and 3":  # the 3 lands while the panel is still updating
            await pilot.press(key)
        await settle(app, pilot)
        assert app.query_one(Prompt).value == "I have ___ apples and 3"


async def test_a_200_key_burst_ends_with_the_panel_on_the_final_text(app_model):
    app = make_app(app_model)
    text = ("The dog is in the garden. She has a red ball. " * 5)[:200]
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*text)
        await settle(app, pilot)
        panel = app.query_one(CandidatePanel)
        assert app.query_one(Prompt).value == text
        assert panel.result.text == text
        assert [c.token_str for c in panel.result.candidates] == words(app_model, text)


async def test_a_long_word_never_pushes_the_probabilities_out(app_model):
    from tui.modes.write.writer import PanelView

    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        panel = app.query_one(CandidatePanel)
        panel.show(PanelView("x", [lm.Candidate("a" * 60, 0.7), lm.Candidate("b", 0.3),
                                   lm.Candidate("junk", 0.001)]))
        await pilot.pause()
        lines = [line.text for line in panel.render_lines(panel.region.reset_offset)]
        text = "\n".join(lines)
        assert "0.70" in text and "0.30" in text and "…" in text
        assert "junk" not in text  # under the floor: fewer rows rather than noise


@pytest.mark.parametrize("size", [(110, 30), (60, 20)])
async def test_a_click_on_a_candidate_puts_it_in_the_blank(app_model, size):
    app = make_app(app_model)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"The ___ is in the garden.")
        await settle(app, pilot)
        panel = app.query_one(CandidatePanel)
        second = panel.result.candidates[1]
        # Row 2 of the table: below the border's top line, right of the left padding.
        await pilot.click(CandidatePanel, offset=(4, 2))
        assert app.query_one(Prompt).value == second.sequence == \
            f"The {second.token_str} is in the garden."
        assert app.focused is app.query_one(Prompt)  # typing goes on in the input


async def test_a_click_on_a_word_candidate_completes_the_word_being_typed(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"I am a b")
        await settle(app, pilot)
        first = app.query_one(CandidatePanel).result.candidates[0]
        await pilot.click(CandidatePanel, offset=(4, 1))
        assert app.query_one(Prompt).value == "I am a " + first.token_str


async def test_the_panel_shows_real_words_only(app_model):
    import re

    from ..helpers import TINY_TEXT

    known = set(re.findall(r"[\w']+", TINY_TEXT.casefold()))
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        for text in ("The ___ is in the garden.", "___ go to school.", "He has a blue ___."):
            app.query_one(Prompt).value = text
            await settle(app, pilot)
            shown = [c.token_str for c in app.query_one(CandidatePanel).result.candidates]
            assert shown and all(w.casefold() in known for w in shown), (text, shown)


async def test_a_word_longer_than_any_word_gets_a_note_not_a_search(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        app.query_one(Prompt).value = "I saw " + "a" * 1500
        await settle(app, pilot)
        panel = app.query_one(CandidatePanel)
        assert panel.result.candidates == []
        assert "no word is 1,500 letters long" in str(panel.render())
    words = app_model.session("I saw " + "a" * 1500)
    before = words.tokens_run
    assert app_model.next_words(words) == [] and words.tokens_run == before
