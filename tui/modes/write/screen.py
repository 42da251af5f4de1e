"""The writing mode (F5): type, and the model writes along; Enter sends a line and it replies.

Every key starts a thread worker (exclusive in its group, so the next key cancels it) that asks
the model for the side panel's candidates and then streams the ghost text. Results carry the text
they were computed for and are dropped if the input has moved on, so stale work never flashes.
"""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.suggester import SuggestionReady
from textual.widgets import Footer
from textual.worker import get_current_worker

import lm

from ...mode import ModeInfo, Wrote
from .distribution import DistributionScreen
from .panel import CandidatePanel
from .prompt import Prompt
from .status import StatusLine
from .transcript import Transcript, Turn
from .writer import Chat, FrameBatcher, PanelView, Writer


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


HELP = """\
Enter sends your line; the model replies in its turn, sampled token by token.

**The side panel.** Without a blank it lists the likeliest **whole words** to come next (or to
finish the word you are typing), found by a beam search to the next word boundary. The number
is the model's probability of that word followed by a space or punctuation, summed over every
way of spelling it; the bar draws the same number. With a blank, it lists candidates for the
blank: they come from the text before the blank, and each is rescored with the rest of the
sentence after it, so the right context counts too; the numbers are then normalised over the
candidates, so they add up to 1. The best fill is previewed under the list.

**Temperature** divides the model's scores before sampling: low is safe and repetitive, high is
surprising. **Top-k** samples among the k likeliest tokens, **top-p** among the fewest tokens
holding that share of the probability.
"""


class WriteScreen(Screen):
    MODE = ModeInfo("f5", "write", "type, and the model writes along")
    HELP = HELP
    HELP_WIDGETS = (Prompt,)  # its keys are the input's
    AUTO_FOCUS = "#prompt"
    BINDINGS = [
        Binding("f2", "app.settings", "settings",
                tooltip="settings: temperature, top-k, top-p, reply length"),
        # In F1's table and the status line; the footer has no room for them.
        Binding("f3", "app.temperature(-0.1)", "T-", show=False, tooltip="temperature down"),
        Binding("f4", "app.temperature(0.1)", "T+", show=False, tooltip="temperature up"),
        Binding("f9", "distribution", "next token", tooltip="the next token's distribution (or "
                "a blank's candidates), as the model gives it and as sampling draws from it; ←/→ "
                "temperature, ↓/↑ top-p, k top-k, live"),
        Binding("escape", "stop", "stop reply",
                tooltip="stop the reply; what was written stays"),
        Binding("ctrl+s", "save", "save", show=False, tooltip="save the transcript into the data folder "
                "(the notice says where)"),
        Binding("ctrl+y", "copy", "copy", show=False,
                tooltip="copy the transcript (where the terminal allows)"),
        # The transcript scrolls from the keyboard while the input keeps the focus.
        Binding("pageup", "scroll_transcript('page_up')", show=False,
                key_display="PageUp / PageDown", tooltip="scroll the conversation"),
        Binding("pagedown", "scroll_transcript('page_down')", show=False),
        Binding("ctrl+home", "scroll_transcript('home')", show=False,
                key_display="Ctrl+Home / Ctrl+End", tooltip="to its start / its end"),
        Binding("ctrl+end", "scroll_transcript('end')", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.writer: Writer | None = None
        self.chat = Chat()
        self.tokens_per_s: float | None = None
        self.replying = False

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
        # The app loads the model (after the first frame) and holds the settings.
        self.watch(self.app, "model", self._use_model)
        self.watch(self.app, "settings", self._use_settings, init=False)
        self.watch(self.app, "loading", lambda note: self.refresh_status(note), init=False)

    def tell_written(self) -> None:
        """Tell the app what the cell lens would read: the line being typed, else the last one
        sent (a message per key: the app only keeps it)."""
        typed = [text for speaker, text in self.chat.turns if speaker == "A"]
        self.post_message(Wrote(self.query_one(Prompt).value.strip() or (typed[-1] if typed
                                                                            else "")))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The footer offers Esc only while there is a reply to stop.
        return self.replying if action == "stop" else True

    def refresh_status(self, note: str = "") -> None:
        model = self.writer.model if self.writer else None
        self.query_one(StatusLine).show(model, self.app.settings, self.tokens_per_s,
                                        note or self.app.loading)

    def _use_model(self, model: lm.LanguageModel | None) -> None:
        if model is None:
            self.refresh_status()
            return
        self.writer = Writer(model, self.app.settings)
        self.tokens_per_s = None  # the last reply's speed was another model's
        self.refresh_status()
        prompt = self.query_one(Prompt)
        self.think(prompt.value, prompt)

    def _use_settings(self, settings) -> None:
        if self.writer is not None:
            self.writer.settings = settings
        self.refresh_status()

    # --- typing: panel and ghost text -------------------------------------------------------

    def on_input_changed(self, event: Prompt.Changed) -> None:
        if event.input.id != "prompt":
            return
        self.tell_written()
        if self.writer is not None:  # before the model is in, it reads the text when it comes
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
            self.app.call_from_thread(self.query_one(CandidatePanel).show, None)
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
        self.refresh_bindings()
        self.tell_written()
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
        self.refresh_bindings()
        self.refresh_status()

    def action_distribution(self) -> None:
        if self.writer is None:
            self.notify("the model is still loading")
            return
        self.app.push_screen(DistributionScreen(self.writer.model, self.query_one(Prompt).value))

    def action_stop(self) -> None:
        self.workers.cancel_group(self, "reply")

    # --- the transcript ----------------------------------------------------------------------

    def action_scroll_transcript(self, where: str) -> None:
        transcript = self.query_one(Transcript)
        {"page_up": transcript.scroll_page_up, "page_down": transcript.scroll_page_down,
         "home": transcript.scroll_home, "end": transcript.scroll_end}[where](animate=False)

    def action_save(self) -> None:
        path = self.app.save_dir / time.strftime("rnn-tui-%Y%m%d-%H%M%S.txt")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.query_one(Transcript).as_text() + "\n", encoding="utf-8")
        except OSError as e:
            self.notify(f"could not save {path}: {e.strerror}", severity="error")
            return
        self.notify(f"saved the transcript to {path}")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.query_one(Transcript).as_text())
        self.notify("transcript copied (if your terminal allows it)")
