"""One run per folder: an exclusive lock on run.lock, which names the process that holds it.

The lock is an flock on the open file, so the kernel releases it when its process ends however
it ends: a lock file left by a killed run is stale by construction and is simply taken over.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import LMError

NAME = "run.lock"


class RunLock:
    def __init__(self, folder: Path):
        self.path = Path(folder) / NAME
        self._fd: int | None = None

    def acquire(self) -> "RunLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_NOFOLLOW: a run.lock that is a link to a file elsewhere is never written through.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as e:
            if self.path.is_symlink():
                raise LMError(f"{self.path} is a link to another file: a run folder's own files "
                              "must be plain files (remove it, or pick another --out)") from None
            raise LMError(f"cannot write to {self.path.parent}: {e.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise LMError(f"{self.path.parent} is in use by another training run (pid {owner}): "
                          "wait for it to finish, or pick another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self, discard: bool = False) -> None:
        """Let the folder go; the file stays for the next run. With `discard` (a run that never
        started, in a folder it made), the file goes too, and the folder if that empties it."""
        if self._fd is not None:
            if discard:
                self.path.unlink(missing_ok=True)  # while still held: no other run took it
                try:
                    self.path.parent.rmdir()
                except OSError:  # not empty: something else is there now, so it stays
                    pass
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
