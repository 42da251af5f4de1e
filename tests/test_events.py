"""`rnn-tui train --events jsonl`: the schema a program reads, checked against real tiny runs."""

import json
import os
import subprocess
import sys

import lm
from lm.training import history

from .test_cli import TRAIN_FLAGS

REQUIRED = {
    "preparing": {"what", "done", "total"},
    "started": {"out_dir", "epochs", "parameters", "train_tokens", "vocab_size", "total_steps",
                "resumed_at", "cache_hit"},
    "progress": {"step", "total_steps", "epoch", "loss", "lr", "grad_norm", "clipped",
                 "tokens_per_s", "elapsed", "fraction", "eta", "pace"},
    "evaluated": {"step", "val_loss", "val_bpc", "val_perplexity", "best"},
    "sampled": {"step", "text"},
    "saved": {"step", "path", "kind"},
    "finished": {"out_dir", "best_path", "last_path", "best_val_loss", "best_val_bpc", "steps",
                 "tokens_per_s", "elapsed", "interrupted"},
    "failed": {"message"},
}


def train(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "tui.cli", "train", "--events", "jsonl", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy(), **kwargs)


def events_of(stdout: str) -> list[dict]:
    lines = stdout.splitlines()
    assert lines, "no events"
    out = [json.loads(line) for line in lines]  # every line is one JSON object
    for e in out:
        assert e["schema"] == lm.SCHEMA_VERSION == 1
        assert REQUIRED[e["event"]] <= e.keys(), e
    return out


def test_a_run_prints_only_events_in_order(tiny_corpus, tmp_path):
    out = tmp_path / "run"
    proc = train("--corpus", str(tiny_corpus), *TRAIN_FLAGS, "--steps", "24", "--eval-every",
                 "8", "--out", str(out))
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert stderr == ""  # no progress bar, no summary lines
    events = events_of(stdout)
    kinds = [e["event"] for e in events]
    first = kinds.index("started")  # after reading and encoding the text
    assert set(kinds[:first]) == {"preparing"} and kinds[-1] == "finished"
    preparing = [e for e in events if e["event"] == "preparing"]
    assert any(e["what"].startswith("encoding") for e in preparing)
    assert all(0 <= e["done"] <= e["total"] for e in preparing)
    assert kinds.count("progress") == 24 and kinds.count("evaluated") == 3
    assert kinds.count("sampled") == 3
    # Each validation: its sample follows it; a run ends on saving last.pt, then finishing.
    assert all(kinds[i + 1] == "sampled" for i, k in enumerate(kinds) if k == "evaluated")
    assert [e["kind"] for e in events if e["event"] == "saved"][-1] == "last"

    progress = [e for e in events if e["event"] == "progress"]
    assert [p["step"] for p in progress] == list(range(1, 25))
    assert all(p["loss"] > 0 and p["lr"] > 0 and p["grad_norm"] >= 0 for p in progress)
    assert progress[-1]["fraction"] == 1 and progress[-1]["eta"] == 0
    assert all(p["eta"] is not None and p["eta"] >= 0 for p in progress)

    finished = events[-1]
    assert finished["out_dir"] == str(out) and not finished["interrupted"]
    assert finished["steps"] == 24
    evaluated = [e for e in events if e["event"] == "evaluated"]
    assert finished["best_val_bpc"] == min(e["val_bpc"] for e in evaluated)
    assert all(isinstance(e["text"], str) for e in events if e["event"] == "sampled")

    # The run folder keeps the curve and a card, for run comparison and the model lists.
    assert [(h["step"], h["val_bpc"]) for h in lm.read_history(out)] == \
        [(e["step"], e["val_bpc"]) for e in evaluated]
    card = lm.read_card(out)
    # No --cell, no --dropout: the recipe for a run with no time budget chose them, and said so.
    assert (card.cell, card.size, card.steps) == ("gru", "1x32", 24)
    started = events[first]
    assert started["recipe"].startswith("recipe for no time budget: GRU 1x32, dropout 0.2")
    assert started["recipe"].endswith("(with your --hidden, --layers, --batch-size, --seq-len)")
    assert card.best_bpc == finished["best_val_bpc"] and card.corpus == (str(tiny_corpus),)


def test_a_failure_is_a_failed_event_and_one_line_on_stderr(tmp_path):
    proc = train("--corpus", str(tmp_path / "missing.txt"), *TRAIN_FLAGS)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    events = events_of(stdout)
    assert [e["event"] for e in events] == ["failed"]
    assert "missing.txt" in events[0]["message"] and "no such file" in events[0]["message"]
    assert stderr.strip().splitlines() == [f"Error: {events[0]['message']}"]

    bad = train("--tie-weights", "--embed", "8", "--hidden", "16")
    stdout, stderr = bad.communicate(timeout=60)
    assert bad.returncode == 2 and "Traceback" not in stderr
    assert events_of(stdout)[-1]["message"].startswith("tied embeddings")


def test_a_reader_that_goes_away_stops_the_run_and_it_saves(tiny_corpus, tmp_path):
    out = tmp_path / "run"
    proc = train("--corpus", str(tiny_corpus), *TRAIN_FLAGS, "--epochs", "100000",
                 "--eval-every", "100000", "--out", str(out))
    while (kind := json.loads(proc.stdout.readline())["event"]) == "preparing":
        pass
    assert kind == "started"
    proc.stdout.close()  # as when the app quits mid-run
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert proc.stderr.read() == ""
    assert (out / "last.pt").is_file() and lm.read_card(out).steps > 0


def test_the_history_reader_drops_what_a_resume_went_back_over(tmp_path):
    for step, bpc in [(10, 3.0), (20, 2.5), (30, 2.2), (20, 2.4), (30, 2.1), (40, 2.0)]:
        history.append(tmp_path, history.record(step, bpc, bpc, False, 0.0))
    with open(tmp_path / history.NAME, "a") as f:
        f.write('{"step": 50, "val_')  # a torn last line
    assert [(h["step"], h["val_bpc"]) for h in lm.read_history(tmp_path)] == \
        [(10, 3.0), (20, 2.4), (30, 2.1), (40, 2.0)]
    assert lm.read_history(tmp_path / "nowhere") == []


def test_every_event_type_converts(tiny_corpus, tmp_path):
    seen = {}
    result = lm.train(lm.TrainConfig(corpus=(str(tiny_corpus),), hidden=16, layers=1, embed=8,
                                     batch_size=4, seq_len=16, steps=4, eval_every=2,
                                     split=(0.8, 0.2, 0.0), out=str(tmp_path / "r"), threads=1,
                                     sample_tokens=5),
                      on_event=lambda e: seen.setdefault(type(e).__name__, lm.to_json(e)))
    seen["TrainResult"] = lm.to_json(result)
    for e in seen.values():
        json.dumps(e, allow_nan=False)  # plain JSON: no NaN, no paths, no dataclasses
        assert REQUIRED[e["event"]] <= e.keys()
    assert {e["event"] for e in seen.values()} == REQUIRED.keys() - {"failed"}


def _train_with_stdout(tiny_corpus, out, **popen):
    from pathlib import Path

    script = Path(sys.executable).with_name("rnn-tui")
    return subprocess.run([str(script), "train", "--corpus", str(tiny_corpus), "--steps", "20",
                           "--hidden", "32", "--embed", "16", "--threads", "1", "--out", str(out),
                           "--events", "jsonl"], stderr=subprocess.PIPE, text=True, timeout=120,
                          **popen)


def test_events_with_stdout_closed_is_one_line_before_any_work(tiny_corpus, tmp_path):
    done = _train_with_stdout(tiny_corpus, tmp_path / "run", stdout=None,
                              preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: --events jsonl writes to stdout, which is closed"
    assert not (tmp_path / "run").exists()


def test_events_to_a_full_device_stop_and_save_the_run_and_say_so(tiny_corpus, tmp_path):
    """stdout that answers every write with ENOSPC, as a full disk does (/dev/full, where there is
    one): the real command in its own process, on every platform."""
    out = tmp_path / "run"
    code = (
        "import errno, sys\n"
        "class Full:\n"
        "    def write(self, text): raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "    def flush(self): pass\n"
        "    def fileno(self): return sys.__stdout__.fileno()\n"
        "sys.stdout = Full()\n"
        f"sys.argv = ['rnn-tui', 'train', '--corpus', {str(tiny_corpus)!r}, '--steps', '20',\n"
        f"            '--hidden', '32', '--embed', '16', '--threads', '1', '--out', {str(out)!r},\n"
        "            '--events', 'jsonl']\n"
        "from tui.cli import main\n"
        "main()\n")
    done = subprocess.run([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: could not write the events to stdout (No space left on device): stopped and saved")
    assert (out / "last.pt").is_file()
