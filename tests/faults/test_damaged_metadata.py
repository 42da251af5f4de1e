"""Damage in what a run folder says of itself (run.json, history.jsonl, a checkpoint's own
metadata) is skipped or refused with a clear line: one run's damage never hides the others, and
a digest that checks out is not taken as proof that the content makes sense."""

from __future__ import annotations

import json
import shutil

import pytest
import torch
from click.testing import CliRunner

import lm
from lm import checkpoint
from tui.cli import cli

GOOD_CARD = {"name": "r", "cell": "lstm", "layers": 1, "hidden": 64, "tokenizer": "char",
             "parameters": 1000, "corpus": ["tiny.txt"], "best_bpc": 2.5, "steps": 10,
             "saved": 1.7e9}


@pytest.mark.parametrize("field, value", [("best_bpc", "1.5"), ("parameters", "many"),
                                          ("saved", "yesterday"), ("saved", 1e300),
                                          ("corpus", [1, 2]), ("steps", True),
                                          ("best_bpc", float("nan"))])
def test_a_damaged_run_card_is_not_believed(tmp_path, field, value):
    (tmp_path / "run.json").write_text(json.dumps(dict(GOOD_CARD, **{field: value})))
    assert lm.read_card(tmp_path) is None
    (tmp_path / "run.json").write_text(json.dumps(GOOD_CARD))
    assert lm.read_card(tmp_path).best_bpc == 2.5


def test_bad_history_lines_are_skipped(tmp_path):
    lines = [{"step": 100, "val_bpc": 3.0, "elapsed": 1.0}, {"step": 200, "val_bpc": 2.0, "elapsed": "x"},
             {"step": 1e400, "val_bpc": 1.9}, {"step": 300, "val_bpc": float("nan")},
             {"step": 400, "val_bpc": float("inf")}, {"step": "500", "val_bpc": 1.5},
             {"step": 600, "val_bpc": 1.4, "elapsed": 6.0}]
    text = "\n".join(json.dumps(x) for x in lines).replace("Infinity", "1e400")
    (tmp_path / "history.jsonl").write_text(text + "\n")
    assert [(h["step"], h["val_bpc"]) for h in lm.read_history(tmp_path)] == [(100, 3.0), (600, 1.4)]


def test_models_lists_every_run_when_one_card_and_one_checkpoint_are_damaged(tiny_model_dir,
                                                                            isolated_home):
    runs = lm.models_dir()
    for name in ("good", "bad-card", "bad-meta"):
        shutil.copytree(tiny_model_dir, runs / name)
    card = json.loads((runs / "bad-card" / "run.json").read_text())
    (runs / "bad-card" / "run.json").write_text(json.dumps(dict(card, best_bpc="x")))
    ck = checkpoint.load(runs / "bad-meta" / "best.pt")
    (runs / "bad-meta" / "run.json").unlink()
    checkpoint.save(runs / "bad-meta" / "best.pt",
                    checkpoint.Checkpoint(ck.model, ck.tokenizer, dict(ck.meta, best_val="x")))
    result = CliRunner().invoke(cli, ["models"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for name in ("good", "bad-card", "bad-meta"):
        assert name in result.output


@pytest.mark.parametrize("damage", ["train_config as a list", "split as strings", "NaN bias"])
def test_a_checkpoint_whose_digest_holds_but_whose_content_is_absurd_is_refused(
        tiny_model_dir, tmp_path, damage):
    ck = checkpoint.load(tiny_model_dir / "best.pt")
    meta, model = dict(ck.meta), ck.model
    if damage == "train_config as a list":
        meta["train_config"] = [1, 2]
    elif damage == "split as strings":
        meta["train_config"] = dict(meta["train_config"], split=["a", "b", "c"])
    else:
        with torch.no_grad():
            model.head.bias.fill_(float("nan"))
    path = tmp_path / "crafted.pt"
    checkpoint.save(path, checkpoint.Checkpoint(model, ck.tokenizer, meta))
    with pytest.raises(lm.CheckpointError, match="damaged checkpoint"):
        lm.load(path)
    result = CliRunner().invoke(cli, ["fill", "I ___ a boy.", "--model", str(path)])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_run_folder_files_that_link_elsewhere_are_never_written_through(tmp_path, tiny_corpus):
    from lm.training import history
    from lm.training.lock import RunLock

    outside = tmp_path / "precious.txt"
    outside.write_text("mine\n")
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.lock").symlink_to(outside)
    with pytest.raises(lm.LMError, match="is a link to another file"):
        RunLock(run).acquire()
    (run / "run.lock").unlink()
    (run / "history.jsonl").symlink_to(outside)
    with pytest.warns(UserWarning, match="link to another file"):
        history.append(run, {"step": 1, "val_bpc": 2.0})
    assert outside.read_text() == "mine\n"
    result = CliRunner().invoke(cli, ["train", "--corpus", str(tiny_corpus), "--out", str(run),
                                      "--steps", "2", "--eval-every", "1"])
    assert outside.read_text() == "mine\n", result.output


@pytest.mark.parametrize("problem", ["empty validation split", "no text in the corpus folder"])
def test_a_run_that_fails_to_start_leaves_no_folder_behind(tmp_path, tiny_corpus, problem):
    (tmp_path / "no-text").mkdir()
    flags = (["--corpus", str(tiny_corpus), "--split", "1,0,0"] if problem.startswith("empty")
             else ["--corpus", str(tmp_path / "no-text")])
    new, existing = tmp_path / "new", tmp_path / "mine"
    existing.mkdir()
    (existing / "notes.txt").write_text("the user's own file")
    for out in (new, existing):
        result = CliRunner().invoke(cli, ["train", "--out", str(out), "--steps", "2", *flags])
        assert result.exit_code != 0
    assert not new.exists()  # it made the folder, so it takes it away again
    assert sorted(p.name for p in existing.iterdir()) == ["notes.txt"]  # refused before the lock


def test_a_folder_of_the_users_own_files_is_refused_as_out(tmp_path, tiny_corpus):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "run.json").write_text('{"my": "own"}')
    result = CliRunner().invoke(cli, ["train", "--corpus", str(tiny_corpus), "--out", str(mine),
                                      "--steps", "2"])
    assert result.exit_code != 0 and "not an rnn-tui run card" in str(result.exception or "")
    assert (mine / "run.json").read_text() == '{"my": "own"}' and len(list(mine.iterdir())) == 1
