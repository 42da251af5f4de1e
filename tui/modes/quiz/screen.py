"""Quiz mode: "what goes in the box?" — you against the model, one blanked word at a time.

The round is drawn and every item rated (the model's top-k for its blank) by one thread worker
that runs ahead of you, so the reveal and the next question are ready when you get there.
No autocompletion here: it would give the answer away. Going to another mode keeps the round
where it is; a new round uses the model the app writes with then.
"""

from __future__ import annotations

import random
import shlex
from dataclasses import dataclass, replace

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

import lm

from ...mode import ModeInfo
from ...tables import bar


@dataclass
class QuizSetup:
    corpus: str | None = None  # None: the corpus the model trained on
    n: int = 10
    category: str | None = None
    seed: int | None = None  # None: a new seed each round (shown, so it can be replayed)


class RoundReady(Message):
    def __init__(self, round_: lm.Round):
        super().__init__()
        self.round = round_


class ItemRated(Message):
    def __init__(self, index: int, item: lm.QuizItem):
        super().__init__()
        self.index, self.item = index, item


class QuizFailed(Message):
    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


HELP = """\
A sentence the model never trained on, with one word in a box. Type the word and press Enter;
Esc skips. The reveal shows the answer, yours, and the model's top 5 for the box (ranked with
the rest of the sentence, as in the panel), and what counting (a word 5-gram of the same text)
guessed. The score is you against the model's first choice. *Easy* and *hard* say how sure the
model was. Another mode's key keeps the round where it is.
"""


class QuizScreen(Screen):
    MODE = ModeInfo("f6", "quiz", "what goes in the box? you against the model", needs_model=True)
    HELP = HELP
    AUTO_FOCUS = ""  # nothing: the answer box takes focus only while a question waits (Enter
    # starts a round; a focused option would take it). None would mean the app's "*".
    BINDINGS = [
        Binding("enter", "advance", "next", show=False,
                tooltip="start a round, answer, go on to the next question"),
        Binding("escape", "skip", "skip"),
    ]

    def __init__(self):
        super().__init__()
        self.model: lm.LanguageModel = self.app.model  # the app opens the quiz once it has one
        # The options change the setup: keep the caller's.
        self.setup = replace(self.app.setup_for(self.MODE.title) or QuizSetup())
        self.round: lm.Round | None = None
        self.seed = 0
        self.given_seed = self.setup.seed
        self.rated: dict[int, lm.QuizItem] = {}
        self.state = "start"  # start -> question -> (waiting ->) reveal -> ... -> summary
        self.pending: str | None = None  # your answer while the model is still rating the item

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="quiz"):  # a small terminal scrolls the card and the options
            yield Static(id="quiz-score")
            yield Static(id="quiz-card")
            # The round's options, on the start and summary screens (Tab reaches them).
            with Grid(id="quiz-options"):
                corpora = lm.quiz.corpora_for(self.model)
                own = "+".join(lm.quiz.training_corpus(self.model, None)[0])
                if self.setup.corpus and self.setup.corpus not in corpora:
                    corpora.append(self.setup.corpus)
                yield Label("corpus")
                yield Select([(f"{own} (trained on)", ""), *((c, c) for c in corpora if c != own)],
                             value=self.setup.corpus or "", allow_blank=False, compact=True,
                             id="quiz-corpus")
                yield Label("category")
                yield Select([("any", ""), *((c, c) for c in lm.CATEGORIES)],
                             value=self.setup.category or "", allow_blank=False, compact=True,
                             id="quiz-category")
                yield Label("questions")
                yield Input(str(self.setup.n), type="integer", max_length=3, compact=True,
                            id="quiz-n")
            yield Input(placeholder="your word, then Enter (Esc skips)", id="quiz-answer")
            yield Static(id="quiz-reveal")
        yield Footer()

    def on_mount(self) -> None:
        self.show_start()

    # --- the states ---------------------------------------------------------------------------

    def show_start(self) -> None:
        self.state = "start"
        self._answer_box(False)
        self._options(True)
        history = lm.best_and_last()
        card = [Text("What goes in the box?", style="bold"),
                Text("Sentences the model never trained on, one word blanked. "
                     "Type the word; then see what the model would have put there."),
                Text(f"For a blank cut from a corpus sentence, what counts is "
                     f"{lm.quiz.FITS_RULE}; the reveal lists them.", style="dim")]
        if history:
            table = Table("corpus", "best", "last", title="your scores", title_justify="left")
            for corpus, entry in history.items():
                table.add_row(corpus, _score(entry["best"]), _score(entry["last"]))
            card += [Text(""), table]
        else:
            card += [Text(""), Text("No rounds played yet.", style="dim")]
        self.query_one("#quiz-card", Static).update(Group(*card))
        self.query_one("#quiz-score", Static).update(self._header())
        self.query_one("#quiz-reveal", Static).update(
            Text("Enter starts a round · Tab reaches the options", style="bold"))
        self.warm(self.setup.corpus)

    def start_round(self) -> None:
        if not self._read_options():
            return
        self._options(False)
        self.state = "loading"
        self.model = self.app.model  # switched to another since the last round, perhaps
        self.rated = {}
        # The given seed replays one round; the rounds after it draw new questions.
        given, self.given_seed = self.given_seed, None
        self.seed = given if given is not None else random.randrange(10_000)
        self.query_one("#quiz-reveal", Static).update(Text("drawing questions…", style="dim"))
        self.prepare(self.seed)

    def show_question(self) -> None:
        item = self.round.current
        self.state = "question"
        self.pending = None
        self.query_one("#quiz-score", Static).update(self._header())
        self.query_one("#quiz-card", Static).update(Group(
            Text(f"{item.category} · from the {item.source}", style="dim"),
            Text(""), _boxed(item, None)))
        self.query_one("#quiz-reveal", Static).update("")
        self._answer_box(True)

    def reveal(self, guess: str | None) -> None:
        i = len(self.round.answers)
        if i not in self.rated:  # the model has not finished this one yet: reveal on ItemRated
            self.state, self.pending = "waiting", guess
            self._answer_box(False)
            self.query_one("#quiz-reveal", Static).update(Text("the model is thinking…",
                                                               style="dim"))
            return
        answer = self.round.answer(guess, self.rated[i])
        item = answer.item
        self.state = "reveal"
        self._answer_box(False)
        self.query_one("#quiz-score", Static).update(self._header())
        you = (Text("skipped", style="yellow") if guess is None else
               Text.assemble(("✓ ", "green bold"), (guess, "green")) if answer.right else
               Text.assemble(("✗ ", "red bold"), (guess, "red")))
        self.query_one("#quiz-card", Static).update(Group(
            # "found it easy" read as praise when the model was sure and wrong: say both.
            Text(f"{item.category} · from the {item.source} · the model was "
                 f"{item.confidence:.0%} sure of its first choice, and "
                 f"{'right' if item.model_right else 'wrong'}", style="dim"),
            Text(""), _boxed(item, item.answer),
            Text(""), Text.assemble("answer: ", (item.answer, "bold"), "    you: ", you),
            _accepted(item)))
        top = Table.grid(padding=(0, 1))
        for rank, (word, p) in enumerate(item.model_candidates, 1):
            mark = Text("✓", style="green") if item.accepts(word) else Text("")
            top.add_row(str(rank), word, bar(p, 16), f"{p:.2f}", mark)
        verdict = (Text("the model's first choice was right", style="green") if item.model_right
                   else Text("the model's first choice was wrong", style="red"))
        counting = Text("counting (a word 5-gram of the same text) guessed: ", style="dim")
        for n, (word, _) in enumerate(item.counted[:3]):
            counting.append(("" if n == 0 else ", ") + word,
                            style="green" if item.accepts(word) else "")
        last = len(self.round.answers) == len(self.round.items)
        self.query_one("#quiz-reveal", Static).update(Group(
            Text("the model's top 5", style="bold"), top, verdict, counting, Text(""),
            Text("Enter: " + ("the summary" if last else "next question"), style="bold")))

    def show_summary(self) -> None:
        self.state = "summary"
        r = self.round
        corpus, _ = lm.quiz.training_corpus(self.model, self.setup.corpus)
        try:
            lm.save_round(r.record(corpus, self.model.name, self.seed))
            saved = Text(f"saved to {lm.history_path()}", style="dim")
        except lm.LMError as e:  # the round is still shown; only its record is lost
            self.app.notify(str(e), severity="error")
            saved = Text(f"not saved: {e}", style="red")
        table = Table("category", "items", "you", "model", title="by category",
                      title_justify="left")
        for cat, row in r.by_category().items():
            table.add_row(cat, str(row["items"]), str(row["you"]), str(row["model"]))
        table.add_row("all", str(len(r.answers)), str(r.you), str(r.model), style="bold")
        winner = ("you win" if r.you > r.model else "the model wins" if r.model > r.you
                  else "a draw")
        self.query_one("#quiz-score", Static).update(self._header())
        self.query_one("#quiz-card", Static).update(Group(
            Text(f"Round over: you {r.you}/{len(r.answers)}, the model {r.model}/"
                 f"{len(r.answers)} — {winner}. Best streak {r.best_streak}.", style="bold"),
            Text(""), table))
        self.query_one("#quiz-reveal", Static).update(Group(
            saved,
            Text(f"replay this round: {self._replay_command()}", style="dim"),
            Text("Enter: a new round · F5: back to writing", style="bold")))
        self._options(True)

    # --- keys ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#quiz-n")
    def options_submitted(self) -> None:
        self.action_advance()

    @on(Input.Submitted, "#quiz-answer")
    def answered(self, event: Input.Submitted) -> None:
        if self.state == "question" and event.value.strip():
            self.reveal(event.value.strip())

    def action_advance(self) -> None:
        if self.state == "start":
            self.start_round()
        elif self.state == "reveal":
            self.show_summary() if self.round.done else self.show_question()
        elif self.state == "summary":
            self.start_round()

    def action_skip(self) -> None:
        if self.state == "question":
            self.reveal(None)

    # --- the model's side, in a worker ---------------------------------------------------------

    @on(Select.Changed, "#quiz-corpus")
    def corpus_picked(self, event: Select.Changed) -> None:
        self.warm(event.value or None)

    @work(thread=True, group="quiz-warm", exit_on_error=False)
    def warm(self, corpus: str | None) -> None:
        """The slow part of drawing a round (about two seconds on the default corpus), done while
        you read the first page; a round started sooner waits for it instead of doing it twice.
        Its errors are the round's to report."""
        lm.quiz.warm(self.model, corpus)

    @work(thread=True, exclusive=True, group="quiz")
    def prepare(self, seed: int) -> None:
        worker = get_current_worker()
        try:
            items = lm.quiz.items(self.model, corpus=self.setup.corpus, n=self.setup.n,
                                  category=self.setup.category, seed=seed, rated=False)
        except lm.LMError as e:
            self.post_message(QuizFailed(str(e)))
            return
        if not items:
            self.post_message(QuizFailed("no questions of that kind in this corpus"))
            return
        self.post_message(RoundReady(lm.Round(list(items))))
        for i, item in enumerate(items):
            if worker.is_cancelled:
                return
            self.post_message(ItemRated(i, lm.quiz.rate(self.model, item)))

    def on_round_ready(self, message: RoundReady) -> None:
        self.round = message.round
        self.show_question()

    def on_item_rated(self, message: ItemRated) -> None:
        self.rated[message.index] = message.item
        if self.state == "waiting" and message.index == len(self.round.answers):
            self.reveal(self.pending)

    def on_quiz_failed(self, message: QuizFailed) -> None:
        self.notify(message.reason, severity="error")
        self.show_start()

    # --- pieces -------------------------------------------------------------------------------

    def _answer_box(self, on: bool) -> None:
        box = self.query_one("#quiz-answer", Input)
        box.value = ""
        box.display = on
        box.disabled = not on  # a hidden box must not keep the focus (and eat Enter)
        if on:
            box.focus()
        else:
            self.set_focus(None)

    def _options(self, on: bool) -> None:
        self.query_one("#quiz-options").display = on
        if not on and self.focused is not None and self.focused.id in (
                "quiz-corpus", "quiz-category", "quiz-n"):
            self.set_focus(None)

    def _read_options(self) -> bool:
        """Take the options' values into the setup; False (and a notice) if one is wrong."""
        raw = self.query_one("#quiz-n", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 200:
            self.notify(f"questions: {raw!r} is not a number from 1 to 200", severity="error")
            return False
        self.setup.corpus = self.query_one("#quiz-corpus", Select).value or None
        self.setup.category = self.query_one("#quiz-category", Select).value or None
        self.setup.n = int(raw)
        return True

    def _header(self) -> Text:
        r = self.round
        if r is None or self.state == "start":
            return Text(f"quiz · model {self.model.name}", style="bold")
        asked = min(len(r.answers) + (self.state == "question"), len(r.items))
        return Text.assemble(
            ("quiz", "bold"), f" · question {asked}/{len(r.items)} · ",
            ("you ", "bold"), (str(r.you), "bold green"), " vs ", ("model ", "bold"),
            (str(r.model), "bold cyan"), f" · streak {r.streak} (best {r.best_streak})",
            f" · seed {self.seed}")


    def _replay_command(self) -> str:
        setup, words = self.setup, ["rnn-tui quiz", f"--seed {self.seed}", f"--n {self.setup.n}"]
        words += [f"--corpus {setup.corpus}"] if setup.corpus else []
        words += [f"--category {setup.category}"] if setup.category else []
        if self.model.path != lm.shipped_model_path():
            words.append(f"--model {shlex.quote(str(self.model.path))}")
        return " ".join(words)


BOX = 10  # every empty box is this wide: its width must not give the answer's length away


def _boxed(item: lm.QuizItem, filled: str | None) -> Text:
    before, _, after = item.text.partition(lm.quiz.BLANK)
    inside = f" {filled} " if filled else " " * BOX
    style = "bold black on green" if filled else "reverse"
    # No-break spaces inside the box, so a line wrap never splits it.
    return Text.assemble(before, (f"[{inside}]".replace(" ", "\u00a0"), style), after,
                         style="bold")


def _accepted(item: lm.QuizItem) -> Text:
    """Every answer that counts, and on what ground: a corpus sentence's by the corpus rule, a
    blank set's as its authors listed them."""
    words = ", ".join((item.answer, *item.alternatives))
    why = (lm.quiz.FITS_RULE if item.source.endswith("split")
           else "the answers this set lists")
    return Text.assemble("accepted: ", (words, "bold"), (f"  (counts: {why})", "dim"))


def _score(record: dict) -> str:
    return (f"{record['you']}/{record['items']} (model {record['model_score']}) "
            f"{record.get('time', '')[:10]}")
