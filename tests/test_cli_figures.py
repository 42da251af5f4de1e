"""What `rnn-tui models`, `eval` and `fill` print: the right steps, progress, no cut bars."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import lm


def run(*args, columns=None, env_extra=None):
    env = os.environ.copy()
    if columns:
        env["COLUMNS"] = str(columns)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, timeout=300, env=env)


def test_models_shows_the_runs_steps_and_the_earlier_step_best_pt_holds(isolated_home):
    # A run that went on 505 steps past its best validation: run.json is the last save's.
    folder = lm.models_dir() / "20260101-000000-gru-char"
    folder.mkdir(parents=True)
    (folder / "best.pt").write_bytes(b"")  # listed by its card: the checkpoint is not read
    (folder / "run.json").write_text(json.dumps({
        "name": folder.name, "cell": "gru", "layers": 1, "hidden": 32, "tokenizer": "char",
        "parameters": 1000, "corpus": ["default"], "best_bpc": 2.5, "steps": 5505,
        "saved": 0.0}))
    (folder / "history.jsonl").write_text("".join(json.dumps(
        {"step": s, "val_loss": 2.0, "val_bpc": b, "best": best}) + "\n"
        for s, b, best in [(4000, 2.6, True), (5000, 2.5, True), (5505, 2.55, False)]))
    proc = run("models", columns=200)
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if folder.name in line)
    assert "5,505 (best.pt: 5,000)" in row
    shipped = json.loads(lm.shipped_model_path().with_name("MODEL.json").read_text())
    first = next(line for line in proc.stdout.splitlines() if "default" in line and "gru" in line)
    assert f"{shipped['steps']:,}" in first
    assert "best.pt" in proc.stdout  # the caption says what the numbers are


def test_fill_keeps_its_whole_bar_column_at_80_columns():
    proc = run("fill", "Does she print ___ rug on the wall of the kitchen before the party?",
               columns=80)
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("│ ") and "█" in line
            or "····" in line]
    assert rows
    for line in rows:
        bar = line.split("│")[4].strip()
        assert len(bar) == 16 and set(bar) <= {"█", "·"}, line
        assert max(len(line) for line in proc.stdout.splitlines()) <= 80


def test_eval_shows_each_part_as_it_runs_on_a_terminal():
    # FORCE_COLOR makes rich treat the captured stderr as a terminal, as a user's would be.
    proc = run("eval", "--limit", "3", columns=100, env_extra={"FORCE_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    for part in ("loss on the val split", "loss on the test split", "quiz"):
        assert part in proc.stderr
    assert "3/3" in proc.stderr
    assert "quiz, " in proc.stdout  # the tables still go to stdout


def test_scorecard_reports_its_parts_in_order(tiny_model_dir):
    stages = []
    lm.load(tiny_model_dir).evaluate(limit=2, on_stage=stages.append)
    assert stages == ["counting the word n-gram of the training text", "loss on the val split",
                      "drawing the quiz items", "quiz", "minimal pairs"]
