"""What counts as a number in a config, a flag or a file a user may have edited: torch-free, one
place (a bool is an int to Python, and NaN is a float; neither is a number here)."""

from __future__ import annotations

import math


def finite(v) -> bool:
    """A real, finite number (int or float, not a bool)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def whole(v) -> bool:
    """An int, not a bool."""
    return isinstance(v, int) and not isinstance(v, bool)
