"""The installed `rnn-tui` command, run as a user runs it: a real process, real exit codes."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

TRAIN_FLAGS = ["--hidden", "32", "--layers", "1", "--embed", "16", "--batch-size", "4",
               "--seq-len", "32", "--split", "0.8,0.2,0", "--threads", "1"]


def run(*args, stdin=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, env=os.environ.copy())


def assert_clean_error(proc, fragment):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert any(fragment in ln for ln in lines), proc.stderr
    assert lines[-1].startswith("Error"), proc.stderr


def test_train_prints_val_bpc_last_and_generate_streams(tiny_corpus, tmp_path):
    out = tmp_path / "run"
    proc = run("train", "--corpus", str(tiny_corpus), *TRAIN_FLAGS, "--epochs", "6",
               "--eval-every", "10", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("val_bpc=") and float(last.split("=")[1]) > 0
    assert "val loss" in proc.stderr and "sample:" in proc.stderr

    gen = run("generate", "I am", "--model", str(out), "--max-tokens", "20", "--seed", "3")
    assert gen.returncode == 0, gen.stderr
    assert gen.stdout.startswith("I am") and len(gen.stdout) > len("I am")

    piped = run("generate", "-", "--model", str(out), "--max-tokens", "5", "--only-new",
                "--temperature", "0", stdin="You are")
    assert piped.returncode == 0 and not piped.stdout.startswith("You are")

    resumed = run("train", "--resume", "--out", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.strip().splitlines()[-1].startswith("val_bpc=")


def test_ctrl_c_saves_and_exits_zero(tiny_corpus, tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "train", "--corpus", str(tiny_corpus), *TRAIN_FLAGS,
         "--epochs", "100000", "--eval-every", "100000", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    for line in proc.stderr:  # wait until training has really begun
        if "parameters" in line:
            break
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "interrupted: saved" in stderr and "--resume" in stderr
    assert stdout.strip().splitlines()[-1].startswith("val_bpc=")
    assert (out / "last.pt").is_file()


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["train", "--corpus", "/no/such/file.txt"], "no such file"),
        (["train", "--cell", "transformer"], "--cell"),
        (["train", "--split", "0.5,0.2"], "--split"),
        (["train", "--tie-weights", "--embed", "8", "--hidden", "16"], "tied"),
        (["train", "--resume", "--out", "/no/such/run"], "holds no run to continue"),
        (["train", "--lr", "-1"], "--lr"),
        (["train", "--split", "nan,0.5,0.5"], "--split"),
        (["train", "--hidden", "100000", "--steps", "1"], "hidden must be at most 8,192"),
        (["generate", "hi", "--model", "/no/such.pt"], "no such file"),
        (["generate", "hi", "--temperature", "-1"], "--temperature"),
        (["frobnicate"], "No such command"),
    ],
)
def test_user_mistakes_get_one_clear_line(args, fragment):
    assert_clean_error(run(*args), fragment)


def test_bad_corpus_and_checkpoint_files(tmp_path):
    binary = tmp_path / "data.bin"
    binary.write_bytes(bytes(range(256)))
    assert_clean_error(run("train", "--corpus", str(binary)), "binary")
    assert_clean_error(run("generate", "hi", "--model", str(binary)), "not an rnn-tui checkpoint")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_clean_error(run("train", "--corpus", str(empty)), "empty")


@pytest.fixture(scope="module")
def trained(tiny_model_dir):
    return str(tiny_model_dir)


def test_fill_prints_candidates_and_json(trained):
    table = run("fill", "I ___ a boy.", "--model", trained, "-k", "3")
    assert table.returncode == 0, table.stderr
    assert "am" in table.stdout and "I am a boy." in table.stdout
    as_json = run("fill", "You (BOX) a girl.", "--model", trained, "--json")
    [rows] = json.loads(as_json.stdout)  # one list per blank, always
    assert rows[0]["token_str"] == "are"
    assert set(rows[0]) == {"token_str", "score", "sequence"}
    two = json.loads(run("fill", "I ___ a boy. You ___ a girl.", "--model", trained,
                         "--json").stdout)
    assert [blank[0]["token_str"] for blank in two] == ["am", "are"]


def test_complete_prints_whole_words(trained):
    out = json.loads(run("complete", "The ca", "--model", trained, "--json").stdout)
    assert out[0]["token_str"] == "cat"


@pytest.mark.parametrize("args, fragment", [(["fill", "I am a boy."], "no blank"),
                                            (["fill", " "], "empty"),
                                            (["complete", ""], "empty")])
def test_fill_and_complete_bad_input(trained, args, fragment):
    assert_clean_error(run(*args, "--model", trained), fragment)


def test_eval_json_has_the_documented_keys(trained):
    proc = run("eval", "--model", trained, "--corpus", "grammar", "--limit", "14", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert set(report) == {"model", "corpus", "split", "ngram", "val", "test", "quiz", "pairs"}
    assert set(report["model"]) == {"name", "path", "cell", "layers", "hidden", "tokenizer",
                                    "vocab_size", "parameters"}
    assert report["corpus"] == ["grammar"] and report["split"] == [0.8, 0.2, 0.0]
    assert set(report["val"]) == {"loss_nats", "bpc", "perplexity", "tokens", "characters",
                                  "ngram_bpc"}
    assert report["ngram"]["order"] == 5 and report["val"]["ngram_bpc"] > 0
    assert report["val"]["bpc"] > 0 and report["test"] is None  # trained without a test split
    quiz = report["quiz"]
    assert quiz["items"] == 14 and quiz["sources"] == {"blank set": 14}
    assert list(quiz["categories"])[-1] == "all"
    assert quiz["categories"]["all"]["items"] == 14
    for row in quiz["categories"].values():
        assert set(row) == {"items", "top1", "top5", "left_top1", "left_top5", "ngram_top1",
                            "ngram_top5", "coverage"}
        assert 0 <= row["top1"] <= row["top5"] <= row["coverage"] <= 1
        assert row["left_top1"] <= row["left_top5"] and row["ngram_top1"] <= row["ngram_top5"]
    pairs = report["pairs"]
    assert pairs["model"]["all"]["pairs"] == pairs["ngram"]["all"]["pairs"] == 14
    table = run("eval", "--model", trained, "--corpus", "grammar", "--limit", "3")
    assert table.returncode == 0 and "top-1" in table.stdout and "bits/char" in table.stdout
    assert "5-gram" in table.stdout and "minimal pairs" in table.stdout


def test_quiz_without_a_terminal_prints_usage_and_bad_options_are_refused(trained):
    proc = run("quiz", "--model", trained)
    assert proc.returncode == 0 and "Usage:" in proc.stdout and "--seed" in proc.stdout
    assert_clean_error(run("quiz", "--category", "adverb"), "--category")
    assert_clean_error(run("eval", "--corpus", "klingon"), "klingon")


def test_corpora_and_models_tables(trained):
    corpora = run("corpora")
    assert corpora.returncode == 0 and "grammar" in corpora.stdout and "default" in corpora.stdout
    models = run("models")
    assert models.returncode == 0


def test_no_command_without_a_terminal_prints_usage():
    proc = run()
    assert proc.returncode == 0
    assert "Usage:" in proc.stdout and "writing app" in proc.stdout


def test_generate_uses_the_shipped_model_by_default():
    proc = run("generate", "I am a", "--max-tokens", "20", "--temperature", "0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("I am a ") and len(proc.stdout) > 20


def test_without_a_shipped_model_the_message_says_how_to_train_one(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import lm.language_model
    from tui.cli import cli

    monkeypatch.setattr(lm.language_model, "shipped_model_path", lambda: tmp_path / "none.pt")
    result = CliRunner().invoke(cli, ["generate", "hi"])
    assert result.exit_code == 1
    assert "no model ships" in result.output and "rnn-tui train" in result.output


def test_a_quiz_in_a_language_the_model_never_read_is_refused():
    proc = run("eval", "--corpus", "ko")  # the shipped model learned English
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--corpus ko is in 'ko'" in proc.stderr
