"""Training mode (F8, `rnn-tui train --app`): a form for a new run, the run board while it
trains, and run comparison. The run is the real CLI in a child process (tui.child); this
screen starts it, reads its events into the board, stops it (SIGINT: it saves and finishes)
and resumes it.

A mode keeps its screen, so you can go back to writing while a run trains and find the board
where you left it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, TabbedContent, TabPane

from ...child import CliProcess
from ...mode import GoHome, ModeInfo, UseModel
from .board import RunBoard
from .compare import CompareView
from .form import TrainForm, TrainingSetup

SAVE_WAIT_S = 60  # how long quitting waits for a stopped run to save
CLOSE_WAIT_S = 5  # ... and how long the screen waits when it is torn down some other way
FOCUS_IN = {"form": "#form-corpus", "board": "#board-samples", "compare": "#compare-runs"}
CARRIED = ("--threads", "--device")  # what a resumed run keeps from how it was started


HELP = """\
Fill the form (a bundled corpus or a path, the cell, sizes, minutes or steps) and press F5 or
Enter: `rnn-tui train` runs in its own process and the board draws its loss and validation
curves, learning rate, gradient norm, speed and samples as they come. A run goes on training
while you are in another mode. In the comparison, pick up to three runs; x switches
steps/minutes.
"""


class TrainingScreen(Screen):
    MODE = ModeInfo("f8", "train", "train a model, watch it learn, compare runs")
    HELP = HELP
    AUTO_FOCUS = "#form-corpus"
    DEFAULT_CSS = """
    TrainingScreen #board-buttons { height: 3; dock: bottom; }
    TrainingScreen #board-buttons Button { margin: 0 1 0 0; }
    """
    BINDINGS = [
        Binding("escape", "leave", "back", tooltip="back to writing"),
        Binding("f5", "start", "start/resume"),
        Binding("f9", "stop", "stop run", tooltip="stop the run (it saves)"),
        Binding("f10", "next_tab", "next tab",
                tooltip="move between the form, the board and the run comparison"),
        Binding("u", "use", "use this model", tooltip="write (and quiz) with this run's model"),
    ]

    def __init__(self):
        super().__init__()
        self.setup = self.app.setup_for(self.MODE.title) or TrainingSetup()
        self.process: CliProcess | None = None
        self.run_dir: Path | None = None
        self.args: list[str] = []
        self.supervising = False  # from the start of a run until its process has ended

    def compose(self) -> ComposeResult:
        with TabbedContent(id="training-tabs"):
            with TabPane("new run", id="form"):
                yield TrainForm(self.setup)
            with TabPane("board", id="board"):
                yield RunBoard()
                with Horizontal(id="board-buttons"):
                    yield Button("Stop (F9)", id="board-stop", variant="warning")
                    yield Button("Resume (F5)", id="board-resume")
                    yield Button("Use this model (u)", id="board-use", variant="success")
            with TabPane("compare runs", id="compare"):
                yield CompareView()
        yield Footer()

    def on_mount(self) -> None:
        self._buttons()

    @property
    def running(self) -> bool:
        return self.supervising

    # --- starting, stopping, resuming ------------------------------------------------------

    @on(TrainForm.Start)
    def _start_from_form(self, message: TrainForm.Start) -> None:
        self.start_run(message.args, fresh=True)

    def start_run(self, args: list[str], fresh: bool) -> None:
        if self.running:
            self.notify("a run is training: stop it first (F9)", severity="warning")
            return
        board = self.query_one(RunBoard)
        if fresh:
            self.args, self.run_dir = args, None
            board.reset("rnn-tui train " + " ".join(args))
        board.state, board.note = "waiting", ""
        board.flush()
        self.query_one(TabbedContent).active = "board"
        self.process = CliProcess(["train", "--events", "jsonl", *args])
        self.supervising = True  # a second F5 before the process is up starts nothing
        self.supervise(self.process)
        self._buttons()

    @work(exclusive=True, group="training")
    async def supervise(self, process: CliProcess) -> None:
        board = self.query_one(RunBoard)
        try:
            await process.start()
            self._buttons()
            async for event in process.events():
                if event["event"] == "started":
                    self.run_dir = Path(event["out_dir"])
                board.feed(event)
            code = await process.wait()
        except asyncio.CancelledError:
            # The screen is going without a quit that waited (finish()): stop the run, give it
            # a moment to save, and end it here rather than leave it to the closing loop.
            await process.close(CLOSE_WAIT_S)
            raise
        except OSError as e:  # the interpreter could not be started at all
            code, process.failure = -1, f"could not start the run: {e.strerror or e}"
        finally:
            self.supervising = False
        if code != 0:
            board.fail(process.error)
            if self.run_dir is None:  # it never began: say so in the form
                self.query_one(TrainForm).show_error(process.error)
                self.query_one(TabbedContent).active = "form"
        board.flush()
        self._buttons()

    def action_start(self) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active == "form":
            self.query_one(TrainForm).submit()
        elif tabs.active == "board":
            self.resume()

    def resume(self) -> None:
        if self.running or self.run_dir is None or not (self.run_dir / "last.pt").is_file():
            return
        carried = [x for i, a in enumerate(self.args) if a in CARRIED
                   for x in self.args[i:i + 2]]
        self.start_run(["--resume", "--out", str(self.run_dir), *carried], fresh=False)

    def action_stop(self) -> None:
        if not (self.process and self.process.running):
            return
        if self.process.stops_sent:
            self.notify("stopping: the run is saving")
            return
        self.process.stop()
        self.query_one(RunBoard).stopping()
        self._buttons()

    async def finish(self) -> None:
        """Stop a training run and wait while it saves (the app calls this before it quits:
        a child still running when the app's loop closes would be killed, unsaved)."""
        if self.process is not None and self.process.running:
            self.notify("stopping the training run: it saves first…")
            self.process.stop()
            try:
                await asyncio.wait_for(self.process.wait(), SAVE_WAIT_S)
            except asyncio.TimeoutError:
                pass

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "use":  # offered (in the footer too) once a finished run has a best.pt
            return self._usable()
        return True

    def _usable(self) -> bool:
        return (not self.running and self.run_dir is not None
                and (self.run_dir / "best.pt").is_file())

    def action_use(self) -> None:
        self.use_model()

    def use_model(self) -> None:
        if not self._usable():
            return
        self.post_message(UseModel(self.run_dir))
        self.notify(f"writing and the quiz now use {self.run_dir.name}")

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        {"board-stop": self.action_stop, "board-resume": self.resume,
         "board-use": self.use_model}.get(event.button.id, lambda: None)()

    def _buttons(self) -> None:
        """Which buttons mean something now."""
        done = not self.running and self.run_dir is not None
        self.query_one("#board-stop", Button).disabled = not self.running or bool(
            self.process and self.process.stops_sent)
        self.query_one("#board-resume", Button).disabled = not (
            done and (self.run_dir / "last.pt").is_file())
        self.query_one("#board-use", Button).disabled = not self._usable()
        self.refresh_bindings()  # the footer offers `u` when it means something

    # --- moving around ---------------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "compare":
            self.query_one(CompareView).reload()
        # Focus into the pane shown: focus left in a hidden pane would be moved by Textual to
        # AUTO_FOCUS (the form), and the tabs would follow it straight back there.
        self.query_one(FOCUS_IN[event.pane.id]).focus()

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        order = ["form", "board", "compare"]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]

    def action_leave(self) -> None:
        self.post_message(GoHome())
