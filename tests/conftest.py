"""Shared fixtures: an isolated user folder, tiny texts of our own, tiny real models."""

from __future__ import annotations

from pathlib import Path

import pytest

import lm

from .helpers import TINY_TEXT, tiny_config


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """What the CLI and the app set for token-at-a-time work; tiny models train faster so too."""
    lm.set_threads(1)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Keep runs and the encoded-text cache out of the real user folders."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("RNN_TUI_HOME", str(root / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))  # the app's saved settings
    return root


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """One char LSTM trained once for the whole session (for generation and checkpoint tests)."""
    root = tmp_path_factory.mktemp("shared-model")
    corpus = root / "tiny.txt"
    corpus.write_text(TINY_TEXT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        lm.train(tiny_config(corpus, root / "run", epochs=30, hidden=64))
    return root / "run"


@pytest.fixture(scope="session")
def sp_model(tmp_path_factory):
    """One sentencepiece GRU trained once for the whole session, loaded."""
    root = tmp_path_factory.mktemp("sp")
    corpus = root / "tiny.txt"
    corpus.write_text(TINY_TEXT)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        # 40 epochs at the default rate left it choosing "blue" over "boy" after "I am a b"
        # in fp32: train it until the text is learned, not until it happens to be.
        result = lm.train(tiny_config(corpus, root / "run", tokenizer="sp", vocab_size=300,
                                      cell="gru", epochs=60, lr=2e-2, hidden=96))
    return lm.load(result.out_dir)


@pytest.fixture(scope="session")
def app_model(tmp_path_factory) -> lm.LanguageModel:
    """A tiny char model trained on one long line (it never saw a new line): the app's model, and
    a greedy reply that goes round its few sentences."""
    root = tmp_path_factory.mktemp("app-model")
    corpus = root / "line.txt"
    corpus.write_text(TINY_TEXT.replace("\n", " "), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        result = lm.train(tiny_config(corpus, root / "run", epochs=30, hidden=64))
    return lm.load(result.out_dir)
