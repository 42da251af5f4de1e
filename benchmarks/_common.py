"""Shared by the benchmarks: timing with medians, and real text to type."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from contextlib import contextmanager

import torch

import lm
# Text the model did not train on: the validation split of its corpus.
from lm.inspect.report import held_back_text as held_out_text  # noqa: F401 (for the scripts)


def parser(doc: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=doc.split("\n")[0])
    p.add_argument("--model", default=None, help="checkpoint [default: the shipped model]")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (1: what the TUI's worker uses, leaving a core for the UI)")
    return p


def setup(args) -> lm.LanguageModel:
    lm.set_threads(args.threads)
    return lm.load(args.model)


@contextmanager
def plain_kernels():
    """For the eager baselines: step-at-a-time nn calls are much slower through oneDNN on CPU."""
    was = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = was


def timed(fn, repeats: int) -> list[float]:
    """Milliseconds per call."""
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


async def panel_shows(panel, text: str, timeout: float = 10.0, poll: float = 0.0005) -> None:
    """Wait until the app's side panel shows its result for exactly `text`."""
    deadline = time.perf_counter() + timeout
    while panel.result is None or panel.result.text != text:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the panel never showed {text[-20:]!r}")
        await asyncio.sleep(poll)
