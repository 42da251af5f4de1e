"""F1: what the keys do, and what the panel's numbers mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# rnn-tui

Type, and a recurrent language model reads along one character (or subword) at a time,
carrying its **hidden state** from step to step with one set of weights shared by every step.

## Keys

| key | what it does |
|---|---|
| Tab or → (at the end) | accept the dim ghost text: the model's greedy continuation |
| Ctrl+→ | accept one word of it |
| Enter | send your line; the model replies in its turn, sampled token by token |
| Esc | stop the reply; what was written stays |
| ↑ / ↓ | your earlier lines |
| PageUp / PageDown, Ctrl+Home / Ctrl+End | scroll the conversation (the input keeps the keys) |
| Tab / Alt+1 - 9 | with a blank in the line (`___`, `(BOX)` or `[BOX]`): Tab puts the best candidate in, Alt+n the n-th (plain digits are text) |
| F3 / F4 | temperature down / up |
| F2 | settings: temperature, top-k, top-p, reply length |
| Ctrl+S | save the transcript into the data folder (the notice says where); Ctrl+Y copies it (where the terminal allows) |
| F6 | quiz mode: what goes in the box? you against the model (F5 back to writing) |
| F7 | inspect: inside a tanh RNN, an LSTM and a GRU: the cell lens, the gradient through time, a memory probe, the unrolled cell, gate saturation (Esc back) |
| F8 | training mode: train a model and watch it learn; compare your runs (Esc back) |
| Ctrl+P | command palette: switch model or mode |
| F1 | this help; Esc closes it |
| Ctrl+Q | quit |

## The side panel

Without a blank it lists the likeliest **whole words** to come next (or to finish the word you
are typing), found by a beam search to the next word boundary. The number is the model's
probability of that word followed by a space or punctuation, summed over every way of spelling
it; the bar draws the same number.

With a blank, it lists candidates for the blank. They come from the text before the blank,
and each is rescored with the rest of the sentence after it, so the right context counts too;
the numbers are then normalised over the candidates, so they add up to 1. The best fill is
previewed under the list.

## Quiz mode (F6)

A sentence the model never trained on, with one word in a box. Type the word and press Enter;
Esc skips. The reveal shows the answer, yours, and the model's top 5 for the box (ranked with
the rest of the sentence, as in the panel). The score is you against the model's first choice.
*Easy* and *hard* say how sure the model was. F5 goes back to writing.

## Training mode (F8)

Fill the form (a bundled corpus or a path, the cell, sizes, minutes or steps) and press F5 or
Enter: `rnn-tui train` runs in its own process and the board draws its loss and validation
curves, learning rate, gradient norm, speed and samples as they come. F9 stops it (it saves),
F5 resumes, *Use this model* writes with it. F10 moves between the form, the board and the
run comparison (pick up to three runs; x switches steps/minutes).

**Temperature** divides the model's scores before sampling: low is safe and repetitive,
high is surprising. **Top-k** samples among the k likeliest tokens, **top-p** among the fewest
tokens holding that share of the probability.
"""


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
