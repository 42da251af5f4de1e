"""How a blank is written: three or more underscores, (BOX) as the tutorial writes it, or [BOX].

Plain regular expressions, no torch: the app checks for a blank on every key.
"""

from __future__ import annotations

import re

BLANK = re.compile(r"_{3,}|\(BOX\)|\[BOX\]")
SENTENCE_END = re.compile(r"[.?!]")


def find_blanks(text: str) -> list[re.Match]:
    return list(BLANK.finditer(text))
