"""What the app looks like in its main states (seeded tiny model, cursor blink off)."""

from tui.app import make_app
from tui.modes.write.prompt import Prompt


def still_app(model):
    app = make_app(model)
    Prompt.cursor_blink = False
    return app


async def _settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_empty(snap_compare, app_model):
    assert snap_compare(still_app(app_model), terminal_size=(100, 24), run_before=_settle)


def test_typing_shows_ghost_text_and_words(snap_compare, app_model):
    async def type_words(pilot):
        await pilot.press(*"I am a b")
        await _settle(pilot)

    assert snap_compare(still_app(app_model), terminal_size=(100, 24), run_before=type_words)


def test_blank_shows_its_candidates(snap_compare, app_model):
    async def type_blank(pilot):
        await pilot.press(*"You ___ a girl.")
        await _settle(pilot)

    assert snap_compare(still_app(app_model), terminal_size=(100, 24), run_before=type_blank)
