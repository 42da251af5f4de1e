"""One sanitiser for everything rnn-tui prints that a model or a user wrote: control characters
never reach the terminal as commands (a crafted tokenizer's likeliest piece could otherwise set
the window title or clear the screen; a pasted ESC could do the same through `fill`'s table)."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL: everything a terminal may act on, except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """`text` with every control character but tab and newline shown as �."""
    return _CONTROL.sub("\ufffd", text)


def one_line(text: str) -> str:
    """safe(), and a newline shown as ⏎ and a tab as a space: for a table cell or a title."""
    return safe(text).replace("\n", "⏎").replace("\t", " ")
