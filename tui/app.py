"""The Textual app: write with a recurrent language model.

Every key starts a thread worker (exclusive in its group, so the next key cancels it) that asks
the model for the side panel's candidates and then streams the ghost text. Results carry the text
they were computed for and are dropped if the input has moved on, so stale work never flashes.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestionReady
from textual.widgets import Footer
from textual.worker import get_current_worker

import lm

from .screens.help import HelpScreen
from .screens.inspect import InspectScreen, InspectSetup
from .screens.quiz import QuizScreen, QuizSetup
from .screens.settings import SettingsScreen
from .screens.training import TrainingScreen, TrainingSetup
from .palette import ModeCommands, ModelCommands
from .settings_store import load_settings, save_settings
from .widgets.panel import CandidatePanel
from .widgets.prompt import Prompt
from .widgets.status import StatusLine
from .widgets.transcript import Transcript, Turn
from .writer import Chat, FrameBatcher, PanelView, Settings, Writer


class PanelReady(Message):
    def __init__(self, result: PanelView):
        super().__init__()
        self.result = result


class ReplyChunk(Message):
    def __init__(self, turn: Turn, piece: str):
        super().__init__()
        self.turn, self.piece = turn, piece


class ReplyDone(Message):
    def __init__(self, turn: Turn, tokens_per_s: float, stopped: bool, end: str | None = None):
        super().__init__()
        self.turn, self.tokens_per_s, self.stopped, self.end = turn, tokens_per_s, stopped, end


# What a reply's end says beside it, where the model did not end its turn itself.
END_NOTES = {"repeat": "stopped: it began to say the same again",
             "cut": "cut at the reply length: no sentence end came"}


class RnnTuiApp(App):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it
    TITLE = "rnn-tui"
    COMMANDS = App.COMMANDS | {ModelCommands, ModeCommands}
    # Under 90 columns the panel goes below the input, so the text keeps the width (app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "help"),
        Binding("f2", "settings", "settings"),
        # In F1's table and the status line; the footer has no room for them.
        Binding("f3", "temperature(-0.1)", "T-", show=False),
        Binding("f4", "temperature(0.1)", "T+", show=False),
        Binding("f6", "quiz", "quiz"),
        Binding("f7", "inspect", "inspect"),
        Binding("f8", "train", "train"),
        Binding("escape", "stop", "stop reply"),
        Binding("ctrl+s", "save", "save"),
        Binding("ctrl+q", "quit", "quit"),
        Binding("ctrl+y", "copy", "copy", show=False),
        # The transcript scrolls from the keyboard while the input keeps the focus.
        Binding("pageup", "scroll_transcript('page_up')", show=False),
        Binding("pagedown", "scroll_transcript('page_down')", show=False),
        Binding("ctrl+home", "scroll_transcript('home')", show=False),
        Binding("ctrl+end", "scroll_transcript('end')", show=False),
    ]

    def __init__(self, model: lm.LanguageModel | None = None, settings: Settings | None = None,
                 save_dir: Path | None = None, model_path: Path | None = None,
                 quiz: QuizSetup | None = None, inspect: InspectSetup | None = None,
                 training: TrainingSetup | None = None):
        super().__init__()
        self.training_setup = training
        self.quiz_setup = quiz
        self.inspect_setup = inspect
        # Settings saved by an earlier run, unless the caller gives its own; a bad file is one
        # warning (shown once the screen is up) and the defaults.
        self.settings_warning = None
        if settings is None:
            settings, self.settings_warning = load_settings()
        self._settings = settings
        # Without a model, the first frame is drawn at once and the model loads in a worker.
        self.writer = Writer(model, self._settings) if model is not None else None
        self.model_path = model_path
        self.chat = Chat()
        self.save_dir = save_dir or lm.data_dir() / "transcripts"
        self.tokens_per_s: float | None = None
        self.replying = False

    @property
    def model(self) -> lm.LanguageModel | None:
        return self.writer.model if self.writer else None

    @property
    def settings(self) -> Settings:
        return self._settings

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Transcript(id="transcript")
                yield Prompt(placeholder="Type, and the model writes along. Enter sends.",
                             id="prompt")
            yield CandidatePanel(id="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Prompt).focus()
        if self.settings_warning:
            self.notify(self.settings_warning, severity="warning", timeout=10)
        if self.writer is None:
            self.refresh_status("loading model…")
            self.load_model(self.model_path)
        else:
            self.refresh_status()
        if self.quiz_setup is not None:
            self.action_quiz()
        elif self.inspect_setup is not None:
            self.action_inspect()
        elif self.training_setup is not None:
            self.action_train()

    def refresh_status(self, note: str = "") -> None:
        self.query_one(StatusLine).show(self.model, self.settings, self.tokens_per_s, note)

    # --- typing: panel and ghost text -------------------------------------------------------

    def on_input_changed(self, event: Prompt.Changed) -> None:
        # Not the settings screen's inputs; and before the model is in, it reads the text later.
        if event.input.id == "prompt" and self.writer is not None:
            self.think(event.value, event.input)

    @work(thread=True, exclusive=True, group="keys")
    def think(self, text: str, prompt: Prompt) -> None:
        worker = get_current_worker()
        result = self.writer.candidates(text) if text else None
        if worker.is_cancelled:
            return
        if result is not None:
            self.post_message(PanelReady(result))
        else:
            self.call_from_thread(self.query_one(CandidatePanel).show, None)
        # Ghost text grows token by token; the input drops it if its value has moved on.
        batch, ghost = FrameBatcher(), ""
        for piece in self.writer.ghost(text, lambda: worker.is_cancelled):
            if (out := batch.add(piece)) is not None:
                ghost += out
                prompt.post_message(SuggestionReady(text, text + ghost))
        if not worker.is_cancelled:
            prompt.post_message(SuggestionReady(text, text + ghost + batch.flush()))

    def on_panel_ready(self, message: PanelReady) -> None:
        if message.result.text == self.query_one(Prompt).value:  # drop what the keys outran
            self.query_one(CandidatePanel).show(message.result)

    def on_prompt_pick(self, message: Prompt.Pick) -> None:
        self.pick(message.index)

    def on_candidate_panel_picked(self, message: CandidatePanel.Picked) -> None:
        self.pick(message.index, words_too=True)
        self.query_one(Prompt).focus()

    def pick(self, index: int, words_too: bool = False) -> None:
        """Put the panel's index-th candidate in: into the blank, or (a click, `words_too`) in
        place of the word being typed."""
        prompt = self.query_one(Prompt)
        result = self.query_one(CandidatePanel).result  # what the reader sees is what is picked
        if not result or result.text != prompt.value or index >= len(result.candidates):
            return
        chosen = result.candidates[index]
        if result.blank:
            match = lm.find_blanks(prompt.value)[0]
            prompt.value = prompt.value[: match.start()] + chosen.token_str + \
                prompt.value[match.end():]
        elif words_too and chosen.sequence:
            prompt.value = chosen.sequence
        else:
            return
        prompt.cursor_position = len(prompt.value)

    # --- chat: Enter sends, the model replies -------------------------------------------------

    def on_input_submitted(self, event: Prompt.Submitted) -> None:
        text = event.value.strip()
        if event.input.id != "prompt" or not text or self.replying:
            return
        if self.writer is None:
            self.notify("the model is still loading")
            return
        prompt = self.query_one(Prompt)
        prompt.remember(text)
        prompt.value = ""
        transcript = self.query_one(Transcript)
        transcript.add("A", text)
        self.chat.turns.append(("A", text))
        self.replying = True
        self.reply(transcript.add("B"))

    @work(thread=True, exclusive=True, group="reply")
    def reply(self, turn: Turn) -> None:
        worker = get_current_worker()
        batch, count, started = FrameBatcher(), 0, time.perf_counter()
        for piece in self.writer.reply(self.chat, lambda: worker.is_cancelled):
            count += 1
            if (out := batch.add(piece)) is not None:
                self.post_message(ReplyChunk(turn, out))
        if rest := batch.flush():
            self.post_message(ReplyChunk(turn, rest))
        elapsed = time.perf_counter() - started
        self.post_message(ReplyDone(turn, count / elapsed if elapsed else 0.0,
                                    worker.is_cancelled, self.writer.turn_end))

    def on_reply_chunk(self, message: ReplyChunk) -> None:
        self.query_one(Transcript).grow(message.turn, message.piece)

    def on_reply_done(self, message: ReplyDone) -> None:
        text = message.turn.text.strip()
        message.turn.text = text
        note = "stopped" if message.stopped else END_NOTES.get(message.end)
        message.turn.update(text + (f" [{note}]" if note else ""))
        self.chat.turns.append(("B", text))
        self.tokens_per_s = message.tokens_per_s
        self.replying = False
        self.refresh_status()

    def action_scroll_transcript(self, where: str) -> None:
        found = self.screen.query(Transcript)  # only on the writing screen
        if not found:
            return
        transcript = found.first()
        {"page_up": transcript.scroll_page_up, "page_down": transcript.scroll_page_down,
         "home": transcript.scroll_home, "end": transcript.scroll_end}[where](animate=False)

    def action_stop(self) -> None:
        if self.replying:
            self.workers.cancel_group(self, "reply")

    # --- settings, help, saving, models ----------------------------------------------------

    def action_quiz(self) -> None:
        if isinstance(self.screen, QuizScreen):
            return
        if self.model is None:
            self.notify("the model is still loading")
            return
        self.push_screen(QuizScreen(self.model, self.quiz_setup or QuizSetup()))

    def action_write(self) -> None:
        if isinstance(self.screen, QuizScreen):
            self.screen.action_leave()
        elif isinstance(self.screen, InspectScreen):
            self.screen.close()
        elif isinstance(self.screen, TrainingScreen):
            self.screen.action_leave()

    def action_inspect(self) -> None:
        if isinstance(self.screen, InspectScreen):
            return
        # No writer model needed: the views load their own three. The lens reads what you typed.
        setup = self.inspect_setup or InspectSetup()
        if setup.text is None:
            typed = [text for speaker, text in self.chat.turns if speaker == "A"]
            setup = replace(setup, text=self.query_one(Prompt).value.strip()
                            or (typed[-1] if typed else None))
        self.push_screen(InspectScreen(setup))

    def action_train(self) -> None:
        if isinstance(self.screen, TrainingScreen):
            return
        # One training screen, kept: a run goes on training while you write.
        if not self.is_screen_installed("training"):
            self.install_screen(TrainingScreen(self.training_setup), "training")
        self.push_screen("training")

    async def action_quit(self) -> None:
        if self.is_screen_installed("training"):
            await self.get_screen("training").finish()  # a run saves before the app goes
        self.exit()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        def apply(settings: Settings | None) -> None:
            if settings is not None:
                self._settings = settings
                if self.writer is not None:
                    self.writer.settings = settings
                self.refresh_status()
                self.keep_settings()

        self.push_screen(SettingsScreen(self.settings), apply)

    def action_temperature(self, step: float) -> None:
        s = self.settings
        t = round(min(5.0, max(0.0, s.sampling.temperature + step)), 2)
        s.sampling = replace(s.sampling, temperature=t)
        self.refresh_status()
        self.keep_settings()

    def keep_settings(self) -> None:
        """Save the settings for the next run; a failure is a notice, the app goes on."""
        if error := save_settings(self.settings):
            self.notify(error, severity="warning")

    def action_save(self) -> None:
        path = self.save_dir / time.strftime("rnn-tui-%Y%m%d-%H%M%S.txt")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.query_one(Transcript).as_text() + "\n", encoding="utf-8")
        except OSError as e:
            self.notify(f"could not save {path}: {e.strerror}", severity="error")
            return
        self.notify(f"saved the transcript to {path}")

    def action_copy(self) -> None:
        self.copy_to_clipboard(self.query_one(Transcript).as_text())
        self.notify("transcript copied (if your terminal allows it)")

    def switch_model(self, path: Path) -> None:
        self.refresh_status(f"loading {path.name}…")
        self.load_model(path)

    @work(thread=True, exclusive=True, group="model")
    def load_model(self, path: Path | None) -> None:
        first = self.writer is None
        try:
            lm.set_threads(1)  # token-at-a-time work: see lm.hardware.set_threads
            model = lm.load(path)
            model.engine  # build the per-token path here, not on the first key
            model.lexicon  # and read the training text's words (a quarter second on default)
        except lm.LMError as e:
            if first:  # nothing to fall back on: leave with the reason
                self.call_from_thread(self.exit, None, 1, f"Error: {e}")
            else:
                self.call_from_thread(self.notify, str(e), severity="error")
            return
        self.call_from_thread(self._use_model, model)

    def _use_model(self, model: lm.LanguageModel) -> None:
        self.writer = Writer(model, self.settings)
        self.tokens_per_s = None  # the last reply's speed was another model's
        self.refresh_status()
        prompt = self.query_one(Prompt)
        self.think(prompt.value, prompt)


def make_app(model: lm.LanguageModel | None = None, settings: Settings | None = None,
             save_dir: Path | None = None, model_path: Path | None = None,
             quiz: QuizSetup | None = None, inspect: InspectSetup | None = None,
             training: TrainingSetup | None = None) -> RnnTuiApp:
    """The app around a loaded model (tests pass a tiny one), or one it loads itself from
    `model_path` (None: the shipped model) after its first frame. With `quiz`, it opens in quiz
    mode; with `inspect`, in inspect mode (F7); with `training`, in training mode (F8)."""
    return RnnTuiApp(model, settings, save_dir, model_path, quiz, inspect, training)
