"""Where the user's things live: a per-user data folder; trained checkpoints in models/, one
sub-folder per run."""

from __future__ import annotations

import os
import time
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """The user's rnn-tui folder: trained models, quiz history. RNN_TUI_HOME overrides it."""
    return Path(os.environ.get("RNN_TUI_HOME") or user_data_dir("rnn-tui"))


def models_dir() -> Path:
    return data_dir() / "models"


def new_run_dir(label: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = models_dir() / f"{stamp}-{label}"
    n = 1
    while path.exists():
        n += 1
        path = models_dir() / f"{stamp}-{label}-{n}"
    return path


def list_runs() -> list[Path]:
    """Run folders holding a checkpoint, newest first."""
    root = models_dir()
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if (p / "last.pt").is_file() or (p / "best.pt").is_file()]
    return sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)


def shipped_model_path() -> Path:
    """The model that ships in the package (lm/shipped/default.pt)."""
    return Path(__file__).parent / "shipped" / "default.pt"
