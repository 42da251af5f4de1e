"""`rnn-tui score`: each sentence drawn as a surprisal strip (every token coloured by how much it
surprised the model), with its log-probability, and which of several the model finds likelier."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from .terminal_text import one_line

# Bits at which a token is drawn fully red; 0 bits is green.
HOT_BITS = 12.0


def heat(bits: float) -> str:
    """A background colour from green (expected) through yellow to red (surprising)."""
    x = max(0.0, min(1.0, bits / HOT_BITS))
    red, green = (int(510 * x), 200) if x < 0.5 else (255, int(200 * (2 - 2 * x)))
    return f"black on rgb({min(red, 255)},{green},60)"


def strip(tokens) -> Text:
    """The text with each token on the colour of its surprisal."""
    out = Text()
    for t in tokens:
        out.append(one_line(t.text), style=heat(t.bits))
    return out


def legend() -> Text:
    out = Text("surprisal  ")
    for bits in (0, 3, 6, 9, 12):
        out.append(f" {bits} bits ", style=heat(bits))
    return out


def score_table(scores: list, ngram: list | None) -> Table:
    """One row a sentence: its strip, log-probability and bits per character, the model's (and
    the word n-gram's) rank among the sentences given."""
    table = Table(title_justify="left", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("sentence (coloured by surprisal)")
    table.add_column("log P", justify="right")
    table.add_column("bits/char", justify="right")
    if ngram:
        table.add_column("n-gram log P", justify="right")
    best = max(range(len(scores)), key=lambda i: scores[i].logprob)
    best_ngram = max(range(len(ngram)), key=lambda i: ngram[i]) if ngram else None
    for i, s in enumerate(scores):
        mark = " ◀" if len(scores) > 1 and i == best else ""
        row = [str(i + 1), strip(s.tokens), f"{s.logprob:.2f}{mark}", f"{s.bits_per_char:.3f}"]
        if ngram:
            row.append(f"{ngram[i]:.2f}" + (" ◀" if i == best_ngram else ""))
        table.add_row(*row)
    return table


def verdict(scores: list, ngram: list | None) -> Text:
    """Which sentence each side finds likelier, in words."""
    best = max(range(len(scores)), key=lambda i: scores[i].logprob)
    ranked = sorted(s.logprob for s in scores)
    margin = ranked[-1] - ranked[-2]
    out = Text(f"The network finds #{best + 1} likeliest ({margin:.2f} nats ahead, "
               f"{margin / 0.6931:.1f} bits)")
    if ngram:
        nb = max(range(len(ngram)), key=lambda i: ngram[i])
        out.append(f"; the word n-gram of its training text picks #{nb + 1}"
                   + (" too." if nb == best else "."))
    else:
        out.append(".")
    return out


def render(scores: list, ngram: list | None) -> Group:
    parts = [score_table(scores, ngram), legend()]
    if len(scores) > 1:
        parts.append(verdict(scores, ngram))
    return Group(*parts)


def beyond_table(text: str, words: list) -> Table:
    """Word by word: the network's bits, the network's with only the n-gram's window, the
    n-gram's, and what the network gained from beyond the window (◆ where that made it right)."""
    table = Table(title=Text(one_line(text)), title_justify="left", show_edge=False)
    for name in ("word", "network", "in window", "n-gram", "from beyond"):
        table.add_column(name, justify="left" if name == "word" else "right", no_wrap=True)
    for w in words:
        mark = " ◆" if w.from_beyond else ""
        table.add_row(one_line(w.word), f"{w.network:.2f}", f"{w.window:.2f}", f"{w.ngram:.2f}",
                      f"{w.beyond + 0.0 if abs(w.beyond) >= 0.005 else 0.0:+.2f}{mark}",
                      style="bold" if w.from_beyond else "")
    total = [sum(getattr(w, k) for w in words) for k in ("network", "window", "ngram")]
    table.add_row("all", *(f"{t:.2f}" for t in total), f"{total[1] - total[0]:+.2f}",
                  style="dim", end_section=True)
    return table


BEYOND_NOTE = ("bits per word. in window: the network reading only the 4 words before it (the "
               "5-gram's window), from its start state; from beyond: what it gains by reading "
               "everything before. ◆: a gain of at least 1 bit that puts it ahead of the n-gram.")
