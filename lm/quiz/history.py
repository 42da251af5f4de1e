"""Quiz scores, one JSON line per finished round, in the user's data folder.

Appending a line is all a round writes, so a crash loses at most that round. Lines that do not
parse (a hand edit, a disk that filled up mid-line) are skipped when reading, never fatal.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ..errors import LMError
from ..runs import data_dir


def history_path() -> Path:
    return data_dir() / "quiz_history.jsonl"


def save_round(record: dict, path: Path | None = None) -> dict:
    """Append one round. A last line cut short (a crash, a full disk) is closed first, so this
    round is never glued onto it. Raises LMError when the history cannot be written."""
    path = path or history_path()
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}
    line = json.dumps(record, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a+b") as f:
            if f.tell() and (f.seek(-1, os.SEEK_END), f.read(1))[1] != b"\n":
                line = "\n" + line
            f.write(line.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise LMError(f"could not save the score to {path}: {e.strerror}") from None
    return record


def rounds(path: Path | None = None) -> list[dict]:
    """Saved rounds, oldest first."""
    path = path or history_path()
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if valid(record):
            out.append(record)
    return out


def valid(record) -> bool:
    """A round as save_round writes it: what the start screen reads has the right types."""
    if not isinstance(record, dict):
        return False
    whole = lambda k: isinstance(record.get(k), int) and not isinstance(record.get(k), bool)
    return (isinstance(record.get("corpus"), str) and whole("items") and whole("you")
            and 0 <= record["you"] <= record["items"]
            and all(whole(k) for k in ("model_score", "best_streak") if k in record))


def best_and_last(path: Path | None = None) -> dict[str, dict[str, dict]]:
    """Per corpus: the best round (by your share right) and the last one."""
    out: dict[str, dict[str, dict]] = {}
    for r in rounds(path):
        entry = out.setdefault(r["corpus"], {"best": r, "last": r})
        entry["last"] = r
        if _share(r) > _share(entry["best"]):
            entry["best"] = r
    return out


def _share(record: dict) -> float:
    return record["you"] / record["items"] if record.get("items") else 0.0
