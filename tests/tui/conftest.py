"""A tiny real model for the app: trained on one long line, so replies run until stopped."""

import pytest

import lm

from ..helpers import TINY_TEXT, tiny_config


@pytest.fixture(scope="session")
def app_model(tmp_path_factory) -> lm.LanguageModel:
    root = tmp_path_factory.mktemp("app-model")
    corpus = root / "line.txt"
    corpus.write_text(TINY_TEXT.replace("\n", " "), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        result = lm.train(tiny_config(corpus, root / "run", epochs=30, hidden=64))
    return lm.load(result.out_dir)
