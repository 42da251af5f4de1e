"""Runs that meet trouble: a second run on the same folder, an unwritable home, a full disk, a
diverging loss, a time budget that is no seed. Each ends with one clear error and nothing lost."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

import lm
from lm import checkpoint
from lm.training.lock import RunLock
from lm.training.trainer import Diverged

from ..helpers import tiny_config

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, env=None, limit_bytes=None, timeout=120) -> subprocess.CompletedProcess:
    def limits():
        if limit_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})},
                          preexec_fn=limits, timeout=timeout)


def one_clean_line(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error")]
    assert len(errors) == 1 and fragment in errors[0], proc.stderr


TINY = ["--hidden", "16", "--layers", "1", "--embed", "8", "--seq-len", "16", "--batch-size", "4",
        "--threads", "1", "--eval-every", "5"]


def test_a_second_run_on_a_held_folder_is_refused(tiny_corpus, tmp_path):
    folder = tmp_path / "same"
    with RunLock(folder):  # as a run in another process holds it
        with pytest.raises(lm.LMError, match="in use by another training run"):
            lm.train(tiny_config(tiny_corpus, folder))
    assert not (folder / "best.pt").exists()
    lm.train(tiny_config(tiny_corpus, folder, epochs=1))  # released: the folder is usable again
    assert (folder / "last.pt").is_file()


def test_two_cli_runs_on_one_folder_one_wins_one_says_why(tiny_corpus, tmp_path):
    out = str(tmp_path / "same")
    procs = {cell: subprocess.Popen([sys.executable, "-m", "tui.cli", "train", "--corpus",
                                     str(tiny_corpus), "--cell", cell, "--out", out,
                                     "--epochs", "100000", *TINY], cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for cell in ("lstm", "gru")}
    deadline = time.monotonic() + 120
    while all(p.poll() is None for p in procs.values()):  # the winner trains until stopped
        assert time.monotonic() < deadline, "neither run ended"
        time.sleep(0.05)
    loser = next(cell for cell, p in procs.items() if p.returncode is not None)
    winner = next(cell for cell in procs if cell != loser)
    assert procs[loser].returncode != 0
    err = procs[loser].stderr.read()
    assert "in use by another training run" in err and "Traceback" not in err, err
    procs[winner].send_signal(signal.SIGINT)  # Ctrl-C: the winner saves and exits 0
    _, err = procs[winner].communicate(timeout=60)
    assert procs[winner].returncode == 0, err
    assert checkpoint.load(Path(out) / "last.pt").model.config.cell == winner
    assert checkpoint.load(Path(out) / "best.pt").model.config.cell == winner


def test_a_lock_left_by_a_killed_run_is_taken_over(tiny_corpus, tmp_path):
    folder = tmp_path / "stale"
    folder.mkdir()
    (folder / "run.lock").write_text("999999\n")  # no process holds it
    lm.train(tiny_config(tiny_corpus, folder, epochs=1))
    assert (folder / "last.pt").is_file()


def test_a_home_that_is_a_file_fails_before_any_work(tiny_corpus, tmp_path):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    proc = cli("train", "--corpus", str(tiny_corpus), *TINY, env={"RNN_TUI_HOME": str(home)})
    one_clean_line(proc, "cannot write to")


def test_a_full_disk_at_save_keeps_what_was_saved_and_says_how_to_go_on(tiny_corpus, tmp_path):
    out = tmp_path / "full"
    first = cli("train", "--corpus", str(tiny_corpus), *TINY, "--out", str(out), "--steps", "5")
    assert first.returncode == 0, first.stderr
    saved = (out / "last.pt").read_bytes()
    # Resume with a file-size limit below a checkpoint's size: the next save cannot be written.
    proc = cli("train", "--resume", "--out", str(out), "--steps", "10",
               limit_bytes=len(saved) // 2)
    one_clean_line(proc, "could not save")
    assert "--resume" in proc.stderr
    assert (out / "last.pt").read_bytes() == saved  # the earlier checkpoint is whole
    checkpoint.load(out / "last.pt", with_train_state=True)


def test_a_diverging_loss_stops_with_the_last_good_checkpoint_kept(tiny_corpus, tmp_path):
    out = tmp_path / "diverge"
    trainer = lm.Trainer.create(tiny_config(tiny_corpus, out, eval_every=5, epochs=5))

    def blow_up(event):  # what a too-high learning rate does, at a step we choose
        if isinstance(event, lm.Progress) and event.step == 7:
            with torch.no_grad():
                trainer.model.head.weight.mul_(float("inf"))

    trainer.emit = blow_up
    with pytest.raises(Diverged, match="diverged at step 8"):
        trainer.run()
    for name in ("best.pt", "last.pt"):
        ck = checkpoint.load(out / name, with_train_state=True)
        assert all(torch.isfinite(w).all() for w in ck.model.state_dict().values()), name
    assert checkpoint.load(out / "last.pt").meta["steps"] == 5
    lm.train(tiny_config(tiny_corpus, out, resume=True))  # and the run goes on from there


def test_a_learning_rate_no_model_survives_ends_cleanly(tiny_corpus, tmp_path):
    with pytest.raises(Diverged, match="diverged"):
        lm.train(tiny_config(tiny_corpus, tmp_path / "hot", lr=1e30, eval_every=1, epochs=3))


@pytest.mark.parametrize("args, fragment", [
    (["train", "--max-minutes", "nan"], "max minutes"),
    (["train", "--lr", "nan"], "lr must be a finite number"),
    (["train", "--lr", "inf"], "lr must be a finite number"),
    (["train", "--weight-decay", "nan"], "weight_decay must be a finite number"),
    (["train", "--weight-decay", "-0.1"], "weight-decay"),
    (["train", "--split", "nan,0.5,0.5"], "split"),
    (["train", "--seed", str(10**30)], "seed"),
    (["generate", "hi", "--temperature", "inf"], "temperature"),
    (["generate", "hi", "--temperature", "nan"], "temperature"),
    (["generate", "hi", "--temperature", "1e300"], "temperature"),
    (["generate", "hi", "--top-p", "nan"], "top-p"),
    (["generate", "hi", "--seed", str(10**30)], "seed"),
])
def test_non_finite_and_out_of_range_flags_are_refused(args, fragment):
    proc = cli(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert fragment in proc.stderr


def test_binary_stdin_is_refused():
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "generate", "-"], input=b"\x7fELF\x00\x01",
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1 and b"looks binary" in proc.stderr and b"Traceback" not in proc.stderr


def test_a_step_count_is_a_seed_and_a_time_budget_is_not(tiny_corpus, tmp_path):
    a = lm.train(tiny_config(tiny_corpus, tmp_path / "a", steps=7, epochs=None))
    b = lm.train(tiny_config(tiny_corpus, tmp_path / "b", steps=7, epochs=None))
    assert a.steps == b.steps == 7
    wa, wb = (checkpoint.load(r.last_path).model.state_dict() for r in (a, b))
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert checkpoint.load(a.last_path).meta["reproducible"] is True
    timed = lm.train(tiny_config(tiny_corpus, tmp_path / "t", max_minutes=0.005, epochs=None))
    assert checkpoint.load(timed.last_path).meta["reproducible"] is False
