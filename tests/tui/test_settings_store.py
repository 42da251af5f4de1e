"""Settings kept between runs: the config folder, written atomically, a bad file is one warning."""

import json

import pytest

import lm
from tui.app import make_app
from tui.settings import load_settings, save_settings, settings_path
from tui.settings import Settings


async def test_settings_changed_in_f2_come_back_in_the_next_run(app_model, isolated_home):
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#temperature").value = "0.3"
        app.screen.query_one("#max_tokens").value = "321"
        app.screen.save()
        await pilot.pause()
        await pilot.press("f4")  # and F3/F4 too
    assert settings_path().parent == isolated_home / "config" / "rnn-tui"
    again = make_app(app_model)
    async with again.run_test(size=(110, 30)):
        assert again.settings.sampling.temperature == 0.4
        assert again.settings.sampling.max_tokens == 321
        assert not again._notifications


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[1, 2]",
                                     b'{"temperature": 99}', b'{"top_k": "many"}',
                                     b'{"candidates": 40}',
                                     b"[" * 100_000 + b"]" * 100_000])  # past Python's stack
async def test_a_bad_settings_file_is_one_warning_and_the_defaults(app_model, content):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    app = make_app(app_model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        notes = list(app._notifications)
        assert len(notes) == 1 and notes[0].severity == "warning"
        assert str(path) in notes[0].message and "using the defaults" in notes[0].message
        assert app.settings == Settings()
        await pilot.press(*"I am")  # and the app works
        await app.workers.wait_for_complete()


def test_saving_replaces_the_file_whole_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "cfg" / "settings.json"
    settings = Settings(lm.Sampling(temperature=0.2, top_k=5, max_tokens=77), candidates=6)
    assert save_settings(settings, path) is None
    assert load_settings(path) == (settings, None)
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]
    assert json.loads(path.read_text())["temperature"] == 0.2


def test_an_unwritable_config_folder_is_an_error_line(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    error = save_settings(Settings(), blocked / "settings.json")
    assert error.startswith("could not save the settings to ")
