"""Data-parallel training under torchrun (gloo on CPU): the same global batch gives the same
model as one process; a lost rank ends the run with a loadable last.pt; a run resumes with
another number of processes. Real torchrun, real processes, a tiny model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import lm
from lm import checkpoint

from .helpers import tiny_config

FLAGS = ["--cell", "lstm", "--hidden", "32", "--layers", "1", "--embed", "16", "--batch-size", "4",
         "--seq-len",
         "32", "--split", "0.8,0.2,0", "--threads", "1", "--dropout", "0", "--precision", "fp32",
         "--lr", "0.01"]


def torchrun(*args: str, nproc: int = 2) -> subprocess.Popen:
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               f"--nproc-per-node={nproc}", "-m", "tui.cli", "train", *FLAGS, *args]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)


def weights(path: Path) -> dict[str, torch.Tensor]:
    return checkpoint.load(path).model.state_dict()


def assert_close(a: dict, b: dict, tol: float = 1e-4) -> None:
    assert a.keys() == b.keys()
    for k in a:
        torch.testing.assert_close(a[k], b[k], atol=tol, rtol=tol, msg=k)


def single(corpus: Path, out: Path, steps: int) -> lm.TrainResult:
    return lm.train(tiny_config(corpus, out, hidden=32, steps=steps, epochs=None, eval_every=6,
                                lr=0.01, warmup_steps=100))


def events_until(proc: subprocess.Popen, pred) -> list[dict]:
    seen = []
    for line in proc.stdout:
        seen.append(json.loads(line))
        if pred(seen[-1]):
            return seen
    raise AssertionError(f"the run ended first: {proc.stderr.read()[-2000:]}")


def worker_pid(root: int, rank: int) -> int:
    """The pid of torchrun's worker for `rank` (torchrun's child with RANK=rank)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if f"RANK={rank}".encode() in env and ppid == root:
            return int(entry.name)
    raise AssertionError(f"no worker with RANK={rank} under {root}")


def test_two_processes_train_the_model_one_process_trains(tiny_corpus, tmp_path):
    one = single(tiny_corpus, tmp_path / "one", steps=12)
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "train", "--nproc", "2", "--corpus", str(tiny_corpus),
         *FLAGS, "--steps", "12", "--eval-every", "6", "--out", str(tmp_path / "two")],
        capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert "running: torchrun --standalone --nproc-per-node=2 -m tui.cli train" in proc.stderr
    assert proc.stdout.count("val_bpc=") == 1  # rank 0 alone reports
    two = checkpoint.load(tmp_path / "two" / "last.pt", with_train_state=True)
    assert two.meta["processes"] == 2 and two.meta["steps"] == 12
    assert_close(weights(one.last_path), two.model.state_dict())
    # The saved hidden state is every stream's, gathered from both ranks in order.
    ref = checkpoint.load(one.last_path, with_train_state=True).train_state["hidden"]
    for a, b in zip(ref, two.train_state["hidden"]):
        assert b.shape[1] == 4
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4)
    assert float(proc.stdout.split("val_bpc=")[1]) == pytest.approx(one.best_val.bpc, abs=1e-3)


def test_a_lost_rank_ends_the_run_with_a_loadable_last_pt(tiny_corpus, tmp_path):
    out = tmp_path / "run"
    proc = torchrun("--corpus", str(tiny_corpus), "--steps", "100000", "--eval-every", "5",
                    "--events", "jsonl", "--out", str(out))
    try:
        events_until(proc, lambda e: e["event"] == "saved" and e["kind"] == "last")
        os.kill(worker_pid(proc.pid, 1), signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    assert "another training process stopped" in stderr and "--resume" in stderr
    saved = checkpoint.load(out / "last.pt", with_train_state=True)
    assert saved.train_state["step"] >= 5
    assert not list(out.glob("*.tmp"))  # nothing half-written left beside it
    # and it goes on, in one process
    rest = lm.train(lm.TrainConfig(out=str(out), resume=True, threads=1, max_minutes=0.02))
    assert rest.steps > saved.train_state["step"]


def test_a_run_of_two_processes_resumes_in_one(tiny_corpus, tmp_path):
    steps = 300
    whole = single(tiny_corpus, tmp_path / "whole", steps=steps)
    out = tmp_path / "split"
    proc = torchrun("--corpus", str(tiny_corpus), "--steps", str(steps), "--eval-every", "6",
                    "--events", "jsonl", "--out", str(out))
    try:
        events_until(proc, lambda e: e["event"] == "saved" and e["kind"] == "last")
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal: torchrun and both ranks
        stdout, stderr = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    finished = [json.loads(line) for line in stdout.splitlines()][-1]
    assert finished["event"] == "finished" and finished["interrupted"], stderr
    assert 6 <= finished["steps"] < steps
    part = checkpoint.load(out / "last.pt", with_train_state=True)
    assert part.train_state["step"] == finished["steps"]

    rest = lm.train(lm.TrainConfig(out=str(out), resume=True, threads=1))
    assert rest.steps == steps
    assert_close(weights(whole.last_path), weights(rest.last_path), tol=2e-3)
    assert rest.best_val.loss == pytest.approx(whole.best_val.loss, abs=2e-3)


def test_a_batch_that_does_not_split_over_the_processes_is_refused(tiny_corpus, tmp_path):
    proc = torchrun("--corpus", str(tiny_corpus), "--steps", "2", "--out", str(tmp_path / "r"),
                    nproc=3)
    try:
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    assert "--batch-size 4 does not split over 3 processes" in stderr
    assert stderr.count("does not split") == 1  # rank 0 says it; the others stop with it
