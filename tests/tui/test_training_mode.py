"""Training mode (F8): the form, a real `rnn-tui train` child process feeding the run board,
stop and resume, using the model it made, and comparing runs. Tiny models: seconds a run."""

import json
import time
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, Input, SelectionList, TabbedContent

import lm
from lm import run_card

from tui.app import make_app
from tui.modes.train import TrainingScreen, TrainingSetup
from tui.modes.train.board import RunBoard
from tui.modes.train.compare import CompareView
from tui.modes.train.form import TrainForm, check
from tui.modes.train.series import Series
from tui.modes.write.prompt import Prompt

from ..helpers import tiny_config

RECORDED = Path(__file__).parent / "data" / "recorded_run.jsonl"
# What the form cannot show: tiny batches, one thread. (Sizes go through the form's fields.)
TINY = {"batch_size": 4, "seq_len": 32, "split": (0.8, 0.2, 0.0), "threads": 1,
        "eval_every": 5, "epochs": 100000}


async def wait_for(pilot, condition, timeout=60.0, what=""):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


async def fill(pilot, field: str, value: str, paste: bool = False):
    """Type into a form field as a user does: focus it, clear it, type (or paste: a long path
    typed key by key costs the test seconds)."""
    box = pilot.app.screen.query_one(f"#form-{field}", Input)
    box.focus()
    box.value = value if paste else ""
    if not paste:
        await pilot.press(*value)
    await pilot.pause()


async def test_f8_opens_training_and_keeps_it_while_you_write(app_model):
    app = make_app(app_model)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        screen = app.screen
        assert isinstance(screen, TrainingScreen)
        assert screen.query_one(TabbedContent).active == "form"
        await pilot.press("escape")
        assert isinstance(app.screen.query_one(Prompt), Prompt)
        await pilot.press("f8")
        assert app.screen is screen  # the same screen: a run goes on while you write


async def test_the_form_checks_as_the_cli_does(app_model, tiny_corpus):
    app = make_app(app_model, mode="train", setup=TrainingSetup({"corpus": (str(tiny_corpus),)}))
    async with app.run_test(size=(120, 40)) as pilot:
        form = app.screen.query_one(TrainForm)
        error = app.screen.query_one("#form-error")
        assert form.problem() is None  # the CLI's defaults, prefilled
        # The CLI's defaults: size left to the recipe for the minutes, so not passed on.
        assert form.query_one("#form-hidden", Input).value == ""
        assert "--hidden" not in form.args() and "--cell" not in form.args()
        await fill(pilot, "hidden", "0")
        assert "--hidden" in str(error.render()) and "\n" not in str(error.render())
        await fill(pilot, "hidden", "16")
        await fill(pilot, "more", "--tie-weights")  # TrainConfig's own check: embed != hidden
        assert str(error.render()) == "tied embeddings need --embed equal to --hidden"
        await pilot.press("enter")
        assert app.screen.process is None  # nothing starts while the form says no
        await fill(pilot, "more", "")
        assert str(error.render()) == ""
    assert check(["--corpus", "x", "--lr", "-1"]).startswith("Invalid value for '--lr'")
    assert check(["--cell", "lstm"]) == "pick a bundled corpus or type a path"


async def test_a_bad_corpus_path_shows_the_cli_one_line_error_in_the_form(app_model, tmp_path):
    app = make_app(app_model, mode="train", setup=TrainingSetup(dict(TINY)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await fill(pilot, "path", str(tmp_path / "nope.txt"), paste=True)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.process and not screen.running and
                       screen.query_one(TabbedContent).active == "form", what="the failure")
        message = str(screen.query_one("#form-error").render())
        assert "nope.txt: no such file" in message and "Traceback" not in message
        assert "\n" not in message
        assert screen.query_one(RunBoard).state == "failed"


async def test_train_watch_stop_use_resume_and_quit(app_model, tiny_corpus):
    app = make_app(app_model, mode="train", setup=TrainingSetup({**TINY, "corpus": (str(tiny_corpus),)}))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        board = screen.query_one(RunBoard)
        for field, value in (("hidden", "24"), ("layers", "1"), ("embed", "8")):
            await fill(pilot, field, value)
        await pilot.click("#form-start")
        assert screen.query_one(TabbedContent).active == "board"
        # Events arrive and the board draws them: loss points, a validation, a sample.
        await wait_for(pilot, lambda: len(board.loss) >= 3 and len(board.val) >= 2,
                       what="progress and validations")
        board.flush()
        assert board.state == "training" and board.last["eta"] is not None
        assert "step" in str(screen.query_one("#board-status").render())
        assert board.query_one("#board-samples").lines  # samples as they come
        run = screen.run_dir
        assert run.parent == lm.models_dir() and lm.read_card(run).size == "1x24"

        await pilot.press("f9")  # stop: SIGINT, the run saves and finishes
        assert board.state in ("stopping", "stopped")  # a tiny run may be done already
        await wait_for(pilot, lambda: not screen.running, what="the stop")
        assert board.state == "stopped" and (run / "last.pt").is_file()
        stopped_at = board.last["step"]
        assert not screen.query_one("#board-use", Button).disabled

        await pilot.press("u")  # use this model: the writer (and the quiz) switch to it
        await wait_for(pilot, lambda: app.model.path.parent == run, what="the model switch")

        await pilot.press("f5")  # resume: train --resume --out RUN, the curves go on
        await wait_for(pilot, lambda: board.started.get("resumed_at") == stopped_at and
                       board.last["step"] > stopped_at + 2, what="the resumed run")
        assert board.loss.points()[0][0] < stopped_at  # the earlier curve is kept
        await pilot.press("ctrl+q")  # quitting mid-run: the run saves before the app goes
    assert lm.read_card(run).steps > stopped_at


def recorded_events() -> list[dict]:
    return [json.loads(line) for line in RECORDED.read_text().splitlines()]


class BoardApp(App):
    def compose(self):
        yield RunBoard()

    def on_mount(self):
        board = self.query_one(RunBoard)
        for event in recorded_events():
            board.feed(event)
        board.flush()


def test_board_snapshot_from_recorded_events(snap_compare):
    assert snap_compare(BoardApp(), terminal_size=(120, 36))


def test_the_board_counts_clips_and_trims_what_a_resume_redoes():
    board = RunBoard()
    events = recorded_events()
    for event in events:
        if event["event"] == "progress" and event["step"] in (30, 31, 90):
            event = dict(event, clipped=True)
        board.feed(event)
    assert (board.clipped, board.last_clip) == (3, 90)
    assert board.state == "finished" and board.best_bpc == events[-1]["best_val_bpc"]
    board.feed({**events[0], "resumed_at": 100})
    assert max(board.val)[0] == 100 and max(board.loss.points()[0]) <= 100


def test_a_series_keeps_its_shape_in_bounded_memory():
    s = Series(most=100)
    for step in range(1, 10_001):
        s.add(step, float(step))
    steps, values = s.points()
    assert len(steps) <= 101 and steps == values  # each point the mean of its span
    assert steps[0] < 100 and steps[-1] > 9_900


@pytest.fixture
def three_runs(tiny_corpus):
    runs = []
    for cell in ("rnn", "lstm", "gru"):
        runs.append(lm.train(tiny_config(tiny_corpus, lm.models_dir() / f"tiny-{cell}",
                                         cell=cell, hidden=16, epochs=None, steps=12,
                                         eval_every=4)).out_dir)
    return runs


async def test_compare_overlays_two_or_three_runs(three_runs):
    app = make_app(mode="train", setup=TrainingSetup())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        screen.query_one(TabbedContent).active = "compare"
        await pilot.pause()
        view = screen.query_one(CompareView)
        assert set(view.runs) == set(three_runs)
        view.pick(three_runs)
        await pilot.pause()
        assert view.order == three_runs
        table = view.query_one("#compare-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[1] for r in rows] == ["rnn", "lstm", "gru"]
        for row, run in zip(rows, three_runs):
            assert float(row[6]) == pytest.approx(lm.read_card(run).best_bpc, abs=1e-3)
            assert row[4] == "12"
        view.query_one(SelectionList).focus()
        await pilot.press("x")  # minutes on the x axis
        assert view.by_time
        # A fourth pick would tangle the chart: the oldest pick makes room.
        extra = lm.train(tiny_config(lm.read_card(three_runs[0]).corpus[0],
                                     lm.models_dir() / "tiny-more", steps=4, epochs=None,
                                     eval_every=2, hidden=8)).out_dir
        view.reload()
        view.pick([extra])
        await pilot.pause()
        assert view.order == three_runs[1:] + [extra]
        assert len(view.query_one(SelectionList).selected) == 3


def test_model_lists_say_cell_size_corpus_bpc_and_date(three_runs):
    from rich.console import Console

    from tui.tables import model_line, models_table

    assert lm.list_runs() == three_runs[::-1]  # newest first
    (three_runs[0] / run_card.NAME).unlink()  # a run from before cards: read from its checkpoint
    console = Console(record=True, width=240)
    console.print(models_table(lm.list_runs()))
    text = console.export_text()
    for header in ("cell", "size", "corpus", "val bpc", "date"):
        assert header in text
    for run in three_runs:
        card = lm.read_card(run) or lm.load(run).card
        assert f"{card.name} " in text and f"{card.best_bpc:.3f}" in text and card.date in text
        assert card.corpus_label == "tiny.txt"
    assert model_line(three_runs[1]) == lm.read_card(three_runs[1]).summary()
    assert model_line(three_runs[0]) == str(three_runs[0])  # no card: the switcher shows the path
