"""The real app under run_test, driven by keys, with a tiny real model."""

import threading

import pytest

import lm

from tui.app import make_app
from tui.modes.write.panel import CandidatePanel
from tui.modes.write.prompt import Prompt
from tui.modes.write.transcript import Transcript, Turn
from tui.settings import Settings

from .app_helpers import settle


async def test_ghost_text_grows_and_tab_accepts_it(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"I am a b")
        await settle(app, pilot)
        prompt = app.query_one(Prompt)
        assert prompt.ghost == "oy."
        await pilot.press("tab")
        assert prompt.value == "I am a boy."


async def test_ctrl_right_accepts_one_word(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"She has")
        await settle(app, pilot)
        prompt = app.query_one(Prompt)
        ghost = prompt.ghost
        assert ghost.startswith(" a ")
        await pilot.press("ctrl+right")
        assert prompt.value == "She has a"


async def test_enter_streams_a_reply_into_the_transcript(app_model):
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=40, temperature=0.5)))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"Hello", "enter")
        await settle(app, pilot)
        turns = list(app.query(Turn))
        assert [t.speaker for t in turns] == ["A", "B"]
        assert turns[0].text == "Hello" and turns[1].text
        assert app.query_one(Prompt).value == ""
        assert app.screen.chat.turns[-1] == ("B", turns[1].text)
        await pilot.press("up")
        assert app.query_one(Prompt).value == "Hello"


async def test_escape_stops_mid_stream_and_the_text_stays(app_model):
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=5000, temperature=0.8)))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"Hi", "enter")
        reply = None
        for _ in range(200):  # wait for the first streamed piece
            await pilot.pause(0.01)
            turns = list(app.query(Turn))
            if len(turns) == 2 and turns[1].text:
                reply = turns[1]
                break
        assert reply is not None
        await pilot.press("escape")
        await settle(app, pilot)
        assert not app.screen.replying
        assert 0 < len(reply.text) < 5000 * 2
        assert app.screen.chat.turns[-1] == ("B", reply.text)


async def test_hangul_is_two_cells_wide_and_edits_by_whole_characters(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        prompt = app.query_one(Prompt)
        home = prompt.cursor_screen_offset.x
        await pilot.press(*"나는 학생")
        await settle(app, pilot)
        assert prompt.value == "나는 학생" and prompt.cursor_position == 5
        assert app.query_one(CandidatePanel).result.text == "나는 학생"
        # Each syllable takes two cells on screen: the cursor sits after 4 wide + 1 narrow.
        assert prompt.cursor_screen_offset.x - home == 9
        await pilot.press("backspace")
        await settle(app, pilot)
        assert prompt.value == "나는 학"
        assert app.query_one(CandidatePanel).result.text == "나는 학"


async def test_settings_screen_checks_and_keeps_values(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#temperature").value = "9"
        screen.save()
        assert "0 to 5" in str(screen.query_one("#error").render())
        assert "settings" in screen.query_one("#settings").border_title
        screen.query_one("#temperature").value = "0.3"
        await pilot.pause()
        assert str(screen.query_one("#error").render()).strip() == ""  # no stale error
        screen.save()
        await pilot.pause()
        assert app.settings.sampling.temperature == 0.3
        await pilot.press("f4")
        assert app.settings.sampling.temperature == 0.4


async def test_help_opens_and_closes(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "HelpScreen"


async def test_save_writes_the_transcript(app_model, tmp_path):
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=20)), save_dir=tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"Hello", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        saved = list(tmp_path.glob("rnn-tui-*.txt"))
        assert len(saved) == 1 and saved[0].read_text().startswith("A: Hello\nB: ")


async def test_without_a_model_it_draws_first_and_loads_in_a_worker(app_model, monkeypatch):
    # Hold the real load until the first frame has been checked: a tiny model loads too fast to
    # catch the app in between otherwise.
    loaded, real_load = threading.Event(), lm.load
    monkeypatch.setattr(lm, "load", lambda *a, **k: (loaded.wait(10), real_load(*a, **k))[1])
    app = make_app(model_path=app_model.path)
    async with app.run_test(size=(110, 30)) as pilot:
        assert "loading model" in str(app.query_one("#status").render())
        assert app.model is None
        loaded.set()
        await settle(app, pilot)
        assert app.model is not None and app.model.path == app_model.path
        assert "params" in str(app.query_one("#status").render())
        await pilot.press(*"I am a b")
        await settle(app, pilot)
        assert app.query_one(CandidatePanel).result.candidates[0].token_str == "boy"


async def test_a_broken_model_file_ends_the_app_with_the_reason(tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    app = make_app(model_path=bad)
    async with app.run_test(size=(110, 30)) as pilot:
        for _ in range(300):  # the load fails in its worker, which then ends the app
            if app.return_code == 1:
                break
            await pilot.pause(0.02)
    assert app.return_code == 1


def test_entry_opens_the_app_only_for_no_command():
    from tui.entry import _app_model

    assert _app_model([]) == (True, None)
    assert _app_model(["--model", "x.pt"]) == (True, "x.pt")
    assert _app_model(["--model=x.pt"]) == (True, "x.pt")
    assert _app_model(["train"]) == (False, None)
    assert _app_model(["--help"]) == (False, None)


async def test_the_empty_screen_says_what_to_try_until_the_first_turn(app_model, tmp_path):
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=10)), save_dir=tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        assert "I ___ a boy" in str(app.query_one("#hint").render())
        await pilot.press(*"Hi", "enter")
        await settle(app, pilot)
        assert not app.query("#hint")


async def test_ctrl_p_lists_the_apps_own_commands_before_you_type(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        options = app.screen.query_one("CommandList")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("mode: quiz" in s for s in shown) and any("switch model" in s for s in shown)


async def test_history_comes_back_to_the_draft(app_model, tmp_path):
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=5)), save_dir=tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        prompt = app.query_one(Prompt)
        await pilot.press(*"Hello", "enter")
        await settle(app, pilot)
        await pilot.press(*"half a thought")
        await pilot.press("up")
        assert prompt.value == "Hello"
        await pilot.press("down")
        assert prompt.value == "half a thought"


async def test_ctrl_s_saves_into_the_data_folder_and_says_where(app_model, isolated_home):
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=5)))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"Hello", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = list((isolated_home / "data" / "transcripts").glob("rnn-tui-*.txt"))
        assert len(saved) == 1 and saved[0].read_text().startswith("A: Hello")


async def test_a_model_switch_forgets_the_old_models_speed(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        app.screen.tokens_per_s = 4321.0
        app.screen.refresh_status()
        assert "4,321 tok/s" in str(app.query_one("#status").render())
        app.model = lm.load(app_model.path)  # as a switch from the palette or F8 lands
        await pilot.pause()
        assert "tok/s" not in str(app.query_one("#status").render())


def test_quit_is_in_the_footer():
    from tui.app import RnnTuiApp

    assert any(b.key == "ctrl+q" and b.show for b in RnnTuiApp.BINDINGS)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_under_90_columns_the_panel_goes_below_and_the_input_keeps_the_width(app_model, size):
    app = make_app(app_model)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"I am a b")
        await settle(app, pilot)
        prompt, panel = app.query_one(Prompt), app.query_one(CandidatePanel)
        assert panel.region.y > prompt.region.y
        assert prompt.region.width >= size[0] - 2
        assert panel.result.candidates  # and it still shows them


async def test_a_multi_line_paste_keeps_every_line(app_model):
    from textual import events

    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        prompt = app.query_one(Prompt)
        await pilot.press(*"Say: ")
        prompt.post_message(events.Paste("I am a boy.\nYou are a girl.\r\n\n  We are friends.\n"))
        await settle(app, pilot)
        assert prompt.value == "Say: I am a boy. You are a girl. We are friends."


async def test_page_keys_scroll_the_transcript_and_keys_stay_in_the_input(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(80, 24)) as pilot:
        transcript, prompt = app.query_one(Transcript), app.query_one(Prompt)
        for n in range(12):
            transcript.add("A", f"line {n}")
        await pilot.pause()
        transcript.scroll_end(animate=False)
        await pilot.pause()
        bottom = transcript.scroll_y
        assert bottom > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < bottom
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert transcript.scroll_y == bottom
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert transcript.scroll_y == 0
        # Shift+Tab (and a click on the transcript) leave the focus where the keys go.
        await pilot.press("shift+tab")
        await pilot.click(Transcript)
        await pilot.press(*"hi")
        assert app.focused is prompt and prompt.value == "hi"


async def test_the_transcript_follows_new_text_after_a_resize_until_scrolled_up(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = app.query_one(Transcript)
        for n in range(12):
            transcript.add("A", f"line {n}")
        await pilot.pause()
        await pilot.resize_terminal(80, 20)  # the bottom moves away from the reader
        await pilot.pause()
        turn = transcript.add("B", "the newest line")
        await pilot.pause()
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y > 0
        await pilot.press("pageup")  # the reader scrolls up: new text no longer pulls the view
        await pilot.pause()
        up = transcript.scroll_y
        transcript.grow(turn, " and more")
        await pilot.pause()
        assert transcript.scroll_y == up < transcript.max_scroll_y


async def test_a_reply_is_one_turn_and_a_greedy_loop_is_stopped_with_a_note(tiny_model_dir,
                                                                             app_model):
    # A model that learned lines ends its turn with the line.
    app = make_app(lm.load(tiny_model_dir), Settings(lm.Sampling(max_tokens=300, temperature=0)))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"Hello.", "enter")
        await settle(app, pilot)
        reply = list(app.query(Turn))[-1].text
        assert reply and "\n" not in reply and app.screen.chat.turns[-1] == ("B", reply)
    # The app's model never saw a new line: greedy, it says its sentences round and round.
    app = make_app(app_model, Settings(lm.Sampling(max_tokens=3000, temperature=0)))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"Hello.", "enter")
        await settle(app, pilot)
        turn = list(app.query(Turn))[-1]
        assert len(turn.text) < 400 and turn.text.rstrip()[-1] in ".!?"
        assert "began to say the same again" in str(turn.render())


@pytest.mark.parametrize("tokens", [3, 4, 5, 6, 9])
async def test_ghost_text_ends_at_a_word_boundary(app_model, tokens):
    app = make_app(app_model, Settings(ghost_tokens=tokens))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press(*"She has")
        await settle(app, pilot)
        prompt = app.query_one(Prompt)
        ghost = prompt.ghost
        assert len(ghost) >= tokens  # it still grows to its length
        # What the model writes next (greedy, as the ghost) is not a letter: the word is whole.
        after = "".join(app_model.generate(prompt.value + ghost,
                                           lm.Sampling(temperature=0, max_tokens=1)))
        assert after and not after[0].isalnum(), (ghost, after)


def plain(renderable) -> str:
    import io

    from rich.console import Console

    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_f9_shows_the_next_token_and_the_arrows_change_sampling_live(app_model):
    from tui.modes.write.distribution import DistributionScreen

    app = make_app(app_model, Settings(lm.Sampling(temperature=0.5, top_p=1.0)))
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press(*"I am a b", "f9")
        await settle(app, pilot)
        assert isinstance(app.screen, DistributionScreen)
        body = app.screen.query_one("#distribution-body")
        before = plain(body.content)
        assert "temperature 0.5 · top-k off · top-p 1" in before and "model" in before
        await pilot.press("right", "right", "down", "k")
        assert app.settings.sampling.temperature == 0.7 and app.settings.sampling.top_k == 5
        assert app.settings.sampling.top_p == 0.95
        assert "temperature 0.7 · top-k 5 · top-p 0.95  →  " in plain(body.content)
        await pilot.press("escape")
        assert app.query_one(Prompt).value == "I am a b"  # the arrows never reached the input


async def test_f9_on_a_blank_shows_its_candidates_as_sampling_would_draw_them(app_model):
    app = make_app(app_model, Settings(lm.Sampling(temperature=1.0, top_p=1.0)))
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press(*"I ___ a boy.", "f9")
        await settle(app, pilot)
        shown = plain(app.screen.query_one("#distribution-body").content)
        assert "the blank's candidates in I ___ a boy." in shown
        best = app_model.fill("I ___ a boy.", k=20)[0][0].token_str
        assert best in shown
