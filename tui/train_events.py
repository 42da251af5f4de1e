"""`rnn-tui train --events jsonl`: every training event as one line of JSON on stdout, flushed as
it happens, for a program (the app's run board) to read live. The schema is lm.to_json's; the
docs/events.md lists it. Nothing else goes to stdout in this mode, so every line parses.
"""

from __future__ import annotations

import json
import os
import sys
import threading

import lm


class EventLines:
    """The on_event callback, and a context that turns an error leaving the run into a `failed`
    event before the CLI prints its one line on stderr."""

    def __init__(self, stop: threading.Event, out=None):
        self.stop = stop
        self.out = out or sys.stdout
        if self.out is None:  # started with stdout closed (`>&-`)
            raise lm.LMError("--events jsonl writes to stdout, which is closed")
        self.gone = False  # the reader closed its end
        self.error: str | None = None  # why the events could not be written, if they could not

    def __enter__(self) -> "EventLines":
        return self

    def __exit__(self, kind, error, tb) -> bool:
        if error is not None:
            self.write(lm.failure_json(message(error)))
        return False  # the CLI still reports it (stderr, exit code)

    def __call__(self, event: object) -> None:
        self.write(lm.to_json(event))

    def write(self, obj: dict) -> None:
        if self.gone:
            return
        try:
            self.out.write(json.dumps(obj) + "\n")
            self.out.flush()
        except BrokenPipeError:
            # The reader went away (the app quit): stop and save at the next step, as on Ctrl-C,
            # and send what is left nowhere (so the exit's own flush does not fail either).
            self._silence()
        except OSError as e:  # a full device, say: the run stops and saves, and says why
            self.error = f"could not write the events to stdout ({e.strerror or e}): stopped " \
                "and saved"
            self._silence()

    def _silence(self) -> None:
        self.gone = True
        self.stop.set()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.out.fileno())
        os.close(devnull)


def message(error: BaseException) -> str:
    """The failure in the words the CLI's stderr line uses (less its "Error: ")."""
    if isinstance(error, KeyboardInterrupt):
        return "aborted"
    if isinstance(error, lm.LMError):
        return str(error)
    return f"{type(error).__name__}: {error}"
