"""Where a run computes: the device and the precision."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os

import torch

from .errors import LMError


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise LMError("--device cuda: no CUDA device is available")
    if name not in ("cpu", "cuda"):
        raise LMError(f"--device must be auto, cpu or cuda, not {name!r}")
    return torch.device(name)


def resolve_precision(name: str, device: torch.device) -> str:
    """auto: bf16 autocast on AMX CPUs, where it is native and pays; fp32 elsewhere. On a GPU our
    models are too small for bf16 to pay (an H100 trained the 2x512 LSTM at 169k tokens/s in
    fp32 and 155k with autocast's casts: benchmarks/bench_ddp.py), so there it is only asked for.
    Weights, optimizer state and validation stay fp32."""
    if name not in ("auto", "fp32", "bf16"):
        raise LMError(f"--precision must be auto, fp32 or bf16, not {name!r}")
    if name == "bf16" and device.type == "cuda" and not torch.cuda.is_bf16_supported():
        raise LMError("--precision bf16: this GPU has no bf16; use --precision fp32 or auto")
    if name == "bf16" and device.type == "cpu" and not _cpu_runs_bf16_lstm():
        raise LMError("--precision bf16: this CPU cannot run the recurrent layers in bf16 "
                      "(no native bf16 support); use --precision fp32 or auto")
    if name != "auto":
        return name
    if device.type == "cuda":
        return "fp32"
    native = getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)()
    return "bf16" if native and torch.backends.mkldnn.is_available() else "fp32"


def set_threads(threads: int | None) -> None:
    """Torch's CPU threads for the whole process: the entry point's call, never a library's.

    Token-at-a-time inference multiplies tiny matrices, where a second thread costs more in
    hand-offs than it saves and stalls for milliseconds per op when another process holds the
    other core; training big batches gains from every core."""
    torch.set_num_threads(threads or available_cores())


# Token-at-a-time work (a session's steps, a blank, generation) runs on this many threads
# whatever the process was set to: its matrices are tiny, and a second thread costs more in
# hand-offs than it saves, and stalls for milliseconds per op when another process holds the
# other core (fill from Python: 5,936 ms p50 on torch's default two threads on a busy machine,
# 343 ms on one; benchmarks/bench_fill_threads.py, which times both).
INFERENCE_THREADS = 1


def inference_threads(method):
    """Run `method` on `self.threads` torch threads (None: as the process is), then put back
    what the process had: a library call must not change its caller's setting. A generator
    method runs each of its steps so."""
    def switched(self):
        want, had = self.threads, torch.get_num_threads()
        if want is None or want == had:
            return contextlib.nullcontext()
        return _threads(want, had)

    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def steps(self, *args, **kwargs):
            inner = method(self, *args, **kwargs)
            while True:
                with switched(self):
                    try:
                        item = next(inner)
                    except StopIteration:
                        return
                yield item
        return steps

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with switched(self):
            return method(self, *args, **kwargs)
    return run


@contextlib.contextmanager
def _threads(want: int, had: int):
    torch.set_num_threads(want)
    try:
        yield
    finally:
        torch.set_num_threads(had)


def get_threads() -> int:
    return torch.get_num_threads()


def _cpu_runs_bf16_lstm() -> bool:
    """oneDNN builds its bf16 LSTM only on CPUs with bf16 instructions; elsewhere the first
    forward fails deep inside. Ask once, with a tiny one."""
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            torch.nn.LSTM(4, 4)(torch.zeros(2, 1, 4))
        return True
    except RuntimeError:
        return False
