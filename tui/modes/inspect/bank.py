"""The comparison models and what is computed over them, each computed once per
(model, trained, text).

Workers on several threads ask for the same model or trace: a lock guards the memo, and a value
that two threads raced to compute is simply kept once (both copies are equal). Nothing here
imports torch at import time, so the app's first frame does not wait for it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

import lm  # cheap: its names load on first use

if TYPE_CHECKING:
    from lm.inspect.trace import TextTrace

CELLS = lm.CELL_NAMES  # those without a comparison model say so in their place
Loader = Callable[..., "lm.LanguageModel"]  # loader(cell, *, trained, forget_bias) -> model


def comparison_loader(cell: str, *, trained: bool = True,
                      forget_bias: float | None = None) -> lm.LanguageModel:
    from lm import inspect as lmi

    return lmi.load_comparison(cell, trained=trained, forget_bias=forget_bias)


class Bank:
    def __init__(self, loader: Loader | None = None):
        self.loader = loader or comparison_loader
        self._lock = threading.Lock()
        self._memo: dict[tuple, object] = {}

    def peek(self, *key) -> object | None:
        """A value already computed, or None: for the UI thread, which never waits."""
        with self._lock:
            return self._memo.get(key)

    def get(self, key: tuple, make: Callable[[], object]) -> object:
        """The memoised value, computed by `make` on first use (from a worker: it may be slow)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = make()
        with self._lock:
            return self._memo.setdefault(key, value)

    def model(self, cell: str, trained: bool, forget_bias: float | None = None) -> lm.LanguageModel:
        return self.get(("model", cell, trained, forget_bias),
                        lambda: self.loader(cell, trained=trained, forget_bias=forget_bias))

    def trace(self, cell: str, trained: bool, text: str) -> TextTrace:
        from lm import inspect as lmi

        return self.get(("trace", cell, trained, text),
                        lambda: lmi.trace_text(self.model(cell, trained), text))
