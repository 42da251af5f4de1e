"""The app's settings between runs: one JSON file in the user's config folder (platformdirs),
written atomically. A file that cannot be read or holds bad values gives one warning line and
the defaults: never a traceback, and never a half-written file after a crash."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_config_dir

import lm


@dataclass
class Settings:
    # How chat replies are sampled (temperature, top-k, top-p, reply length): lm's one type.
    sampling: lm.Sampling = field(default_factory=lambda: lm.Sampling(top_p=0.95))
    ghost_tokens: int = 40  # ghost text stops at a sentence end or here
    candidates: int = 8


SAMPLING = ("temperature", "top_k", "top_p", "max_tokens")  # lm.Sampling checks these
OWN = {"ghost_tokens": (1, 400), "candidates": (1, 9)}  # the app's own, with their bounds


def settings_path() -> Path:
    """settings.json in the user's config folder (~/.config/rnn-tui on Linux)."""
    return Path(user_config_dir("rnn-tui")) / "settings.json"


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The saved settings and None, or the defaults and a one-line warning saying why."""
    path = path or settings_path()
    defaults = Settings()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return defaults, None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return defaults, f"could not read the settings in {path} ({_reason(e)}): using the defaults"
    except RecursionError:  # arrays nested past Python's stack: no settings file looks so
        return defaults, f"could not read the settings in {path} (nested too deeply): using the " \
            "defaults"
    try:
        if not isinstance(saved, dict):
            raise ValueError("not a JSON object")
        sampling = replace(defaults.sampling,
                           **{k: saved[k] for k in SAMPLING if k in saved})
        own = {}
        for name, (low, high) in OWN.items():
            value = saved.get(name, getattr(defaults, name))
            if not (isinstance(value, int) and not isinstance(value, bool) and
                    low <= value <= high):
                raise ValueError(f"{name} must be a whole number from {low} to {high}")
            own[name] = value
    except (TypeError, ValueError) as e:
        return defaults, f"the settings in {path} are not valid ({e}): using the defaults"
    return Settings(sampling=sampling, **own), None


def save_settings(settings: Settings, path: Path | None = None) -> str | None:
    """Write the settings (temp file, then rename); a one-line error if that fails."""
    path = path or settings_path()
    data = {k: getattr(settings.sampling, k) for k in SAMPLING}
    data |= {k: getattr(settings, k) for k in OWN}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=2)
                f.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        return f"could not save the settings to {path}: {e.strerror or e}"
    return None


def _reason(e: Exception) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"not JSON: {e.msg} at line {e.lineno}"
    if isinstance(e, UnicodeDecodeError):
        return "not UTF-8 text"
    return getattr(e, "strerror", None) or str(e)
