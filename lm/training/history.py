"""A run's validation curve on disk: history.jsonl in the run folder, one line per validation,
appended as the run goes (torch-free, so the app can draw the curves of many runs cheaply).

Appends are one short write each, so a crash leaves whole lines behind it (a torn last line is
skipped on reading). A run resumed from an earlier last.pt rewrites nothing: the reader drops
the lines past the step a later session started again from.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path

from ..numbers import finite

NAME = "history.jsonl"


def record(step: int, val_loss: float, val_bpc: float, best: bool, elapsed: float) -> dict:
    return {"step": step, "val_loss": val_loss, "val_bpc": val_bpc, "best": best,
            "elapsed": round(elapsed, 3), "time": round(time.time(), 3)}


def append(folder: Path, entry: dict) -> None:
    """One line at the end of the folder's history. A failed write costs the curve a point,
    never the run: it warns and goes on."""
    line = (json.dumps(entry) + "\n").encode()
    try:
        # O_NOFOLLOW: a history.jsonl that links elsewhere is never appended to (it warns below).
        fd = os.open(Path(folder) / NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW,
                     0o644)
        try:
            os.write(fd, line)  # O_APPEND: one write lands whole at the end
        finally:
            os.close(fd)
    except OSError as e:
        reason = "it is a link to another file" if (Path(folder) / NAME).is_symlink() else e.strerror
        warnings.warn(f"could not add to {Path(folder) / NAME}: {reason}", stacklevel=2)


def read_history(folder: str | Path) -> list[dict]:
    """The validations of the run in `folder`, in step order; [] when it has no history."""
    try:
        lines = (Path(folder) / NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    out: list[dict] = []
    for line in lines:
        try:
            entry = json.loads(line)
            step, bpc = entry["step"], entry["val_bpc"]
        except (ValueError, KeyError, TypeError):
            continue  # a torn or foreign line
        # A damaged line is skipped, never believed: each field the curves read must be sane.
        if not (_whole(step) and finite(bpc) and bpc >= 0
                and all(finite(entry[k]) for k in ("val_loss", "elapsed", "time") if k in entry)):
            continue
        # A step at or before the last one kept: a resumed session went back to it.
        while out and out[-1]["step"] >= step:
            out.pop()
        out.append(dict(entry, step=int(step), val_bpc=float(bpc)))
    return out


def _whole(v) -> bool:
    """A step as JSON may hold it: a whole number, written as an int or a float like 100.0."""
    return finite(v) and float(v).is_integer() and 0 <= v < 2**63
