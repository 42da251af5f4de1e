"""Inspect mode (F7, `rnn-tui inspect`): the learning views over tiny rnn/lstm/gru models, driven
by keys, and what each view looks like."""

from dataclasses import replace

import pytest
from click.testing import CliRunner
from rich.text import Text
from textual.widgets import DataTable, Input, Static
from textual.worker import WorkerState

import lm
from lm import inspect as lmi

from tui.app import make_app
from tui.cli import cli
from tui.modes.inspect import InspectScreen, InspectSetup
from tui.modes.inspect.charts import GradientView, ProbeView
from tui.modes.inspect.lens import ModelLens
from tui.modes.inspect.unrolled import UnrolledDrawing
from tui.modes.write.prompt import Prompt

from ..helpers import TINY_TEXT, tiny_config

# Only characters the tiny models read in training; long enough for 20 steps back, twice.
TEXT = ("She has a red ball. He has a blue kite. The dog is in the garden. "
        "They go to school in the morning and come home at night.")


@pytest.fixture(scope="session")
def cells(tmp_path_factory) -> dict[str, lm.LanguageModel]:
    """One tiny trained model per cell (fp32, one thread: the same weights on every run)."""
    root = tmp_path_factory.mktemp("inspect-models")
    corpus = root / "tiny.txt"
    corpus.write_text(TINY_TEXT, encoding="utf-8")
    models = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        for cell in ("rnn", "lstm", "gru"):
            result = lm.train(tiny_config(corpus, root / cell, cell=cell, epochs=6, hidden=32))
            models[cell] = lm.load(result.out_dir)
    return models


@pytest.fixture
def setup(cells) -> InspectSetup:
    def load(cell, *, trained=True, forget_bias=None):
        model = cells[cell]
        return model if trained else lmi.untrained(model, forget_bias=forget_bias)

    return InspectSetup(text=TEXT, loader=load, max_k=20, windows=2, probe_gaps=(0, 10, 20),
                        probe_per_gap=6)


async def settle(pilot):
    """Until no worker is left: a message handled in one pause (a tab shown) may start the next
    worker, and on a busy machine that can come after the first wait began."""
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers):
            return
    raise AssertionError("the inspect screen's workers never settled")


def lens(app, cell: str) -> ModelLens:
    return app.screen.query_one(f"#lens-{cell}", ModelLens)


def styles(widget: Static) -> list[str]:
    """The style of each span of what the widget shows (one span per character of the lens)."""
    return [str(span.style) for span in widget.content.spans]


def table(app, name: str) -> DataTable:
    return app.screen.query_one(f"#{name}-table", DataTable)


# --- opening and leaving ------------------------------------------------------------------------

async def test_f7_opens_on_what_you_typed_and_escape_goes_back(cells, setup):
    app = make_app(cells["lstm"])
    async with app.run_test(size=(100, 30)) as pilot:
        app.setups["inspect"] = replace(setup, text=None)
        await pilot.press(*"She has a red")
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, InspectScreen)
        assert app.screen.text == "She has a red"
        assert "She has a red" in lens(app, "gru").content.plain
        await pilot.press("escape")
        assert not isinstance(app.screen, InspectScreen)
        assert app.query_one(Prompt).value == "She has a red"
        # Back in the same inspect mode, the lens reads what was written since.
        inspect = app.get_screen_stack("inspect")[0]
        await pilot.press(*" hat", "f7")
        await settle(pilot)
        assert app.screen is inspect and inspect.text == "She has a red hat"
        assert "She has a red hat" in lens(app, "gru").content.plain


async def test_the_inspect_command_opens_the_app_on_the_inspect_screen(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InspectScreen)
        assert app.screen.text == TEXT
    # Off a terminal it has nothing to draw on: it prints its help, --text among the options.
    result = CliRunner().invoke(cli, ["inspect", "--text", "hello"])
    assert result.exit_code == 0 and "--text" in result.output


async def test_without_comparison_models_each_lens_says_why(cells, setup):
    def missing(cell, **_):
        raise lm.LMError(f"no comparison model for {cell!r}")

    app = make_app(cells["lstm"], mode="inspect", setup=replace(setup, loader=missing))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "no comparison model for 'gru'" in lens(app, "gru").content.plain
        await pilot.press("right", "down", "m", "4", "5")  # nothing to move: no crash
        await settle(pilot)
        assert isinstance(app.screen, InspectScreen)


# --- the cell lens ------------------------------------------------------------------------------

async def test_unit_channel_and_model_keys_redraw_the_lens(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rnn, lstm = lens(app, "rnn"), lens(app, "lstm")
        assert rnn.has_class("-focused") and "unit 1/32" in rnn.border_title
        before = styles(rnn)
        await pilot.press("right")
        assert "unit 2/32" in rnn.border_title and styles(rnn) != before
        await pilot.press("left", "left")  # wraps around
        assert "unit 32/32" in rnn.border_title
        await pilot.press("m")  # the LSTM now takes the keys
        assert lstm.has_class("-focused") and not rnn.has_class("-focused")
        before = styles(lstm)
        await pilot.press("down")
        assert "L1 c" in lstm.border_title and styles(lstm) != before
        await pilot.press("l", "l")  # i, then f: a gate, on the white-to-green scale
        assert "L1 gate f" in lstm.border_title
        assert "0 " in app.screen.query_one("#lens-hint", Static).content.plain


async def test_the_cursor_picks_which_guesses_show(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        last = lens(app, "lstm").content.plain.splitlines()[-1]
        assert last.startswith("after '.'")
        await pilot.press("comma", "comma")  # back to the "h" of "night"
        assert lens(app, "lstm").content.plain.splitlines()[-1].startswith("after 'h'")
        await pilot.press("full_stop")
        assert lens(app, "lstm").content.plain.splitlines()[-1].startswith("after 't'")


async def test_t_shows_the_untrained_models(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        trained = styles(lens(app, "gru"))
        await pilot.press("t")
        await settle(pilot)
        assert lens(app, "gru").border_subtitle == "untrained"
        assert styles(lens(app, "gru")) != trained


async def test_a_regex_ranks_units_and_enter_jumps_to_one(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"inside a word")
        await settle(pilot)
        ranked = table(app, "rank")
        assert ranked.row_count == 10
        cell, score = app.screen.ranked[0]
        assert ranked.get_row_at(0)[0] == cell
        await pilot.press("enter", "enter")  # to the table, then on its first row
        assert app.screen.cell == cell
        title = lens(app, cell).border_title
        assert f"{score.channel.label()} · unit {score.unit + 1}/" in title
        # The characters the feature covers are underlined in the lens.
        assert any("underline" in s for s in styles(lens(app, cell)))


async def test_a_bad_regex_shows_one_line_and_no_table(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "(")
        await settle(pilot)
        error = app.screen.query_one("#rank-error", Static)
        assert str(error.content).startswith("not a regular expression")
        assert error.size.height == 1 and table(app, "rank").row_count == 0
        await pilot.press("backspace")
        await settle(pilot)
        assert str(error.content) == ""
        await pilot.press("escape")  # out of the box first, then out of the screen
        assert isinstance(app.screen, InspectScreen)
        assert not isinstance(app.screen.focused, Input)


# --- the other views ----------------------------------------------------------------------------

async def test_the_gradient_table_fills_and_f_swaps_the_forget_bias(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        rows = [table(app, "gradient").get_row_at(i) for i in range(table(app, "gradient").row_count)]
        names = [str(row[0]) for row in rows]
        assert names == ["rnn", "rnn untrained", "lstm", "  └ c", "lstm untrained f=1", "  └ c",
                         "gru", "gru untrained"]
        assert all(str(row[1]) != "computing…" for row in rows)
        # The window the models learned through is marked: their own seq_len.
        window = cells["rnn"].meta["train_config"]["seq_len"]
        note = app.screen.query_one("#gradient-note").content.plain
        assert f"BPTT window (seq_len {window})" in note
        await pilot.press("f")
        await settle(pilot)
        names = [str(table(app, "gradient").get_row_at(i)[0]) for i in range(8)]
        assert "lstm untrained f=0" in names


async def test_r_runs_the_memory_probe_into_its_table(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "r")
        await settle(pilot)
        probe = table(app, "probe")
        assert [str(probe.get_row_at(i)[0]) for i in range(probe.row_count)] == \
            ["0", "10", "20", "≥ 90 % up to"]
        assert "%" in str(probe.get_row_at(0)[1])


def widths_fit(data_table: DataTable) -> bool:
    """Every column as wide as its label and each of its cells, as it would draw now."""
    for column in data_table.ordered_columns:
        cells = [column.label, *data_table.get_column(column.key)]
        widest = max(c.cell_len if isinstance(c, Text) else len(c) for c in cells)
        if column.get_render_width(data_table) - 2 * data_table.cell_padding < widest:
            return False
    return True


async def test_the_tables_fit_their_cells_before_the_next_idle(cells, setup):
    """DataTable widens its auto-width columns on idle; a frame drawn before then (once, in CI's
    snapshot of the gradient view) cut every column to its label. The views give the widths."""
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one(GradientView).show(
            {("rnn", True): "a reason far wider than its column", ("gru", True): None}, 1.0)
        assert widths_fit(table(app, "gradient"))  # no await between: no idle has run
        screen.query_one(ProbeView).show({"lstm": "a reason far wider than its column",
                                          "gru": None}, True, {})
        assert widths_fit(table(app, "probe"))


async def test_the_unrolled_cell_carries_c_only_for_the_lstm(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        drawing = app.screen.query_one(UnrolledDrawing)
        assert "─h─▶" in drawing.content.plain and "─c─▶" not in drawing.content.plain
        assert drawing.content.plain.count("┌───────┐") == 6  # as many steps as fit 100 columns
        await pilot.press("m")
        assert "─c─▶" in drawing.content.plain and "f[0]" in drawing.content.plain


async def test_the_gates_view_counts_saturated_units(cells, setup):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        summary = app.screen.query_one("#gates-summary", Static).content
        assert [line.split(":")[0] for line in summary.splitlines()] == [
            "lstm L1 gate i", "lstm L1 gate f", "lstm L1 gate o", "gru L1 gate r", "gru L1 gate z"]


@pytest.mark.parametrize("width", [120, 80, 60])
async def test_the_lens_and_the_ranking_share_the_width_or_stack(cells, setup, width):
    app = make_app(cells["lstm"], mode="inspect", setup=setup)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        models = app.screen.query_one("#lens-models").region
        rank = app.screen.query_one("#rank").region
        if width >= 90:
            assert rank.x >= models.right and rank.y == models.y
        else:
            assert rank.y >= models.bottom and rank.width >= width - 4
        assert lens(app, "rnn").region.right <= width


# --- snapshots ----------------------------------------------------------------------------------

def _shot(snap_compare, app, keys, size=(100, 30)):
    async def run_before(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return snap_compare(app, terminal_size=size, run_before=run_before)


# Not the gradient view: its log axis spans the gradients down to 1e-10 and below, which float
# rounding moves by a decade between runs of these tiny models (about one run in two, which
# picked the axis labels); test_the_gradient_table_fills_and_f_swaps_the_forget_bias checks it.
@pytest.mark.parametrize("view,keys", [
    ("lens", ["m", "down"]),
    ("probe", ["3", "r"]),
    ("unrolled", ["4", "m"]),
    ("gates", ["5"]),
])
def test_each_view(snap_compare, cells, setup, view, keys):
    assert _shot(snap_compare, make_app(cells["lstm"], mode="inspect", setup=setup), keys)


def test_the_lens_at_60_columns(snap_compare, cells, setup):
    assert _shot(snap_compare, make_app(cells["lstm"], mode="inspect", setup=setup), [], size=(60, 30))


async def test_the_gates_view_reads_held_back_text_not_the_typed_line(cells, setup):
    from lm.inspect.report import held_back_text

    app = make_app(cells["lstm"], mode="inspect", setup=replace(setup, text="She has a red"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert "held-back text" in screen.query_one("#gates-note").content.plain
        lstm = screen.bank.model("lstm", True)
        expected = lm.inspect.saturation(lm.inspect.trace_text(lstm, held_back_text(lstm, 4000)))
        got = screen.bank.peek("saturation", "lstm", True)
        assert [c.label() for c in got] == [c.label() for c in expected]
        assert all(got[c].equal(expected[c]) for c in got)


async def test_the_memory_lab_trains_in_a_child_process_and_draws_its_curves(cells, setup):
    from tui.modes.inspect.lab import LabView

    app = make_app(cells["lstm"], mode="inspect", setup=replace(setup, lab_steps=200))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("6")
        screen = app.screen
        view = screen.query_one(LabView)
        view.query_one("#lab-max-gap", Input).value = "4"
        await pilot.press("s")
        for _ in range(600):  # torch loads in the child, then 200 steps
            await pilot.pause(0.1)
            if "done after" in view.query_one("#lab-status").content.plain:
                break
        status = view.query_one("#lab-status").content.plain
        assert "done after 200 steps" in status and "seed 0" in status
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
                for table in [view.query_one("#lab-table", DataTable)]
                for i in range(table.row_count)}
        assert set(rows) == {"rnn", "lstm", "gru"}
        assert rows["lstm"][1] == "100%"  # gap 0: the verb right after the subject
        assert rows["lstm"][-1] in {"none", *map(str, range(4)), ">=4"}
        await app.action_quit()
