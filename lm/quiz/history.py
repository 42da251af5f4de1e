"""Quiz scores, one JSON line per finished round, in the user's data folder.

Appending a line is all a round writes, so a crash loses at most that round. Lines that do not
parse (a hand edit, a disk that filled up mid-line) are skipped when reading, never fatal.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..runs import data_dir


def history_path() -> Path:
    return data_dir() / "quiz_history.jsonl"


def save_round(record: dict, path: Path | None = None) -> dict:
    path = path or history_path()
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
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
        if isinstance(record, dict) and {"corpus", "you", "items"} <= record.keys():
            out.append(record)
    return out


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
