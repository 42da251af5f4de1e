"""A command of our own CLI in a child process (`rnn-tui train --events jsonl ...`, the memory
lab's `rnn-tui inspect --report memory --events jsonl ...`), its JSON events read line by line
from its stdout on the app's event loop.

A separate process, not a thread: training holds the GIL for long stretches and uses every
core it is given; in its own process it cannot stall the UI, and the CLI's handling of errors,
Ctrl-C (stop, save, finish) and the run-folder lock is the same one a terminal user gets.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from typing import AsyncIterator

# The run yields the CPU to the UI when both want it (when the machine is otherwise idle, it
# still gets all of it). Threads torch starts later inherit it.
NICENESS = 10
LINE_LIMIT = 1 << 20  # a sample line can be long; asyncio's default is 64 KiB


def command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


class CliProcess:
    """`rnn-tui ARGS...` (which must print its events as JSON lines) in a child process."""

    def __init__(self, args: list[str], niceness: int | None = None):
        self.args = args
        self.niceness = NICENESS if niceness is None else niceness
        self.proc: asyncio.subprocess.Process | None = None
        self.stderr_tail: list[str] = []
        self.failure: str | None = None  # a `failed` event's message
        self._stderr_task: asyncio.Task | None = None
        self.stops_sent = 0

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *command(self.args), stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=LINE_LIMIT,
            # Its own session: a Ctrl-C meant for the terminal's foreground group is not its.
            start_new_session=True)
        if self.niceness:
            try:
                os.setpriority(os.PRIO_PROCESS, self.proc.pid, self.niceness)
            except OSError:
                pass  # it has already gone (a bad flag), or the platform says no: run as is
        self._stderr_task = asyncio.create_task(self._read_stderr())

    async def events(self) -> AsyncIterator[dict]:
        """Each event as it comes; ends when the process closes its stdout."""
        assert self.proc is not None and self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            try:
                event = json.loads(line)
            except ValueError:
                continue  # not ours: the events schema is every line
            if isinstance(event, dict) and "event" in event:
                if event["event"] == "failed":
                    self.failure = str(event.get("message", ""))
                yield event

    async def wait(self) -> int:
        assert self.proc is not None
        code = await self.proc.wait()
        if self._stderr_task is not None:
            await self._stderr_task
        return code

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    @property
    def error(self) -> str:
        """Why it failed, in one line: its `failed` event, else the last line it wrote on stderr."""
        if self.failure:
            return self.failure
        last = self.stderr_tail[-1] if self.stderr_tail else f"exit code {self.proc.returncode}"
        return last.removeprefix("Error: ")

    def stop(self) -> None:
        """SIGINT, as Ctrl-C in a terminal: a run stops after this step, saves and finishes.
        A second one aborts it (the CLI's own rule)."""
        if self.running:
            self.stops_sent += 1
            self.proc.send_signal(signal.SIGINT)

    async def close(self, timeout: float) -> None:
        """Stop it and wait up to `timeout` for it to finish (a run saves); past that, kill it."""
        if not self.running:
            return
        self.stop()
        try:
            await asyncio.shield(asyncio.wait_for(self.proc.wait(), timeout))
        except (asyncio.TimeoutError, asyncio.CancelledError):
            pass
        finally:
            if self.running:
                self.proc.kill()

    async def _read_stderr(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            if text := line.decode(errors="replace").strip():
                self.stderr_tail = (self.stderr_tail + [text])[-20:]
