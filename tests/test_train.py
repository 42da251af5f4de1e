import threading

import pytest
import torch

import lm
from lm import checkpoint
from lm.errors import LMError
from lm.metrics import measure

from .helpers import tiny_config


def _events(kind):
    seen = []
    return seen, lambda e: seen.append(e) if isinstance(e, kind) else None


def test_loss_falls(tiny_corpus, tmp_path):
    seen, on_event = _events(lm.Progress)
    result = lm.train(tiny_config(tiny_corpus, tmp_path / "run", epochs=20), on_event=on_event)
    first = sum(e.loss for e in seen[:5]) / 5
    last = sum(e.loss for e in seen[-5:]) / 5
    assert last < 0.6 * first
    assert result.best_val.bpc < 2.5
    assert (tmp_path / "run" / "best.pt").is_file() and (tmp_path / "run" / "last.pt").is_file()


def test_overfits_a_200_char_text_to_near_zero_bpc(tmp_path):
    text = ("The hidden state carries what came before. One set of weights serves every step. "
            "Gates decide what to keep and what to forget, so the cell can remember far back in time "
            "when it reads.\n")
    assert 180 <= len(text) <= 220
    corpus = tmp_path / "short.txt"
    corpus.write_text(text * 2)  # train on one copy, validate on the same sentence again
    config = tiny_config(corpus, tmp_path / "run", hidden=128, batch_size=1, seq_len=64,
                         epochs=300, eval_every=1000, split=(0.5, 0.5, 0.0), lr=1e-2)
    result = lm.train(config)
    ck = checkpoint.load(result.last_path)
    train_ids = torch.tensor(ck.tokenizer.encode(text))
    # One stream, so only the very first character is read without context.
    assert measure(ck.model, ck.tokenizer, train_ids, seq_len=64, batch_size=1).bpc < 0.05


@pytest.mark.parametrize("cell", lm.CELL_NAMES)
@pytest.mark.parametrize("tokenizer", ["char", "sp"])
def test_every_cell_and_tokenizer_trains_and_generates(tiny_corpus, tmp_path, cell, tokenizer):
    seen, on_event = _events(lm.Progress)
    config = tiny_config(tiny_corpus, tmp_path / "run", cell=cell, tokenizer=tokenizer,
                         vocab_size=300, epochs=12)
    result = lm.train(config, on_event=on_event)
    assert seen[-1].loss < seen[0].loss * 0.75
    model = lm.load(result.out_dir)
    assert model.cell == cell and model.tokenizer.kind == tokenizer
    text = "".join(model.generate("I am a", lm.Sampling(temperature=0, max_tokens=30)))
    assert text and "\ufffd" not in text


def _final_weights(path):
    return checkpoint.load(path).model.state_dict()


def test_resume_equals_an_uninterrupted_run_bit_for_bit(tiny_corpus, tmp_path):
    common = dict(epochs=4, dropout=0.2, layers=2, eval_every=7)
    whole = lm.train(tiny_config(tiny_corpus, tmp_path / "whole", **common))

    stop = threading.Event()

    def stop_at_step_10(event):
        if isinstance(event, lm.Progress) and event.step == 10:
            stop.set()

    part = lm.train(tiny_config(tiny_corpus, tmp_path / "split", **common),
                    on_event=stop_at_step_10, stop=stop)
    assert part.interrupted and part.steps == 10
    rest = lm.train(tiny_config(tiny_corpus, tmp_path / "split", resume=True, **common))
    assert rest.steps == whole.steps

    a, b = _final_weights(whole.last_path), _final_weights(rest.last_path)
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), "resumed weights differ"


def test_refuses_to_overwrite_an_existing_run(tiny_corpus, tmp_path):
    config = tiny_config(tiny_corpus, tmp_path / "run", epochs=1)
    lm.train(config)
    with pytest.raises(LMError, match="--resume"):
        lm.train(config)


def test_resume_without_a_run_is_a_clear_error(tmp_path):
    with pytest.raises(LMError, match="holds no run to continue"):
        lm.train(lm.TrainConfig(out=str(tmp_path / "empty"), resume=True))
    assert not (tmp_path / "empty").exists()  # nothing made on the way to saying no


def test_default_run_folder_is_in_the_user_data_dir(tiny_corpus, isolated_home):
    result = lm.train(tiny_config(tiny_corpus, None, epochs=1))
    assert result.out_dir.parent == lm.models_dir()
    assert lm.list_runs() == [result.out_dir]


def test_events_arrive_in_order(tiny_corpus, tmp_path):
    kinds = []
    lm.train(tiny_config(tiny_corpus, tmp_path / "run", epochs=3),
             on_event=lambda e: kinds.append(type(e).__name__))
    # reading and encoding the text come first, then the run
    first = kinds.index("Started")
    assert first > 0 and set(kinds[:first]) == {"Preparing"} and "Preparing" not in kinds[first:]
    assert {"Progress", "Evaluated", "Sampled", "Saved"} <= set(kinds)
    assert kinds.index("Evaluated") < kinds.index("Sampled")


def test_same_seed_same_run(tiny_corpus, tmp_path):
    a = lm.train(tiny_config(tiny_corpus, tmp_path / "a", epochs=2, dropout=0.1))
    b = lm.train(tiny_config(tiny_corpus, tmp_path / "b", epochs=2, dropout=0.1))
    wa, wb = _final_weights(a.last_path), _final_weights(b.last_path)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)


def test_time_budget_ends_the_run(tiny_corpus, tmp_path):
    result = lm.train(tiny_config(tiny_corpus, tmp_path / "run", epochs=10_000, max_minutes=0.02))
    assert result.elapsed < 10
    assert not result.interrupted and result.best_val is not None


def test_the_time_budget_leaves_room_for_the_final_validation_and_save(tiny_corpus, tmp_path):
    trainer = lm.Trainer.create(tiny_config(tiny_corpus, tmp_path / "run", max_minutes=1.0))
    try:
        s = trainer.state
        assert not trainer._budget_spent()  # nothing trained yet: always take a first step
        s.step, trainer._train_time, trainer._train_tokens, s.elapsed = 1, 30.0, 1000, 30.0
        trainer._finish, trainer._steady_time = None, 0.0
        assert not trainer._budget_spent()  # a slow first step (a GPU's warm-up) is no estimate
        s.step, trainer._steady_time, trainer._steady_tokens = 10, 1.0, 1000
        s.elapsed, trainer._finish = 54.0, 5.0  # the last validation and save took 5 s
        assert not trainer._budget_spent()
        s.elapsed = 55.5
        assert trainer._budget_spent()  # 55.5 + 5 would end past the minute
        trainer._finish = None  # not timed yet: estimated from the training pace
        s.elapsed = 60 - len(trainer.val_ids) / 1000 - 1.0 - 0.1
        assert not trainer._budget_spent()
        s.elapsed += 0.2
        assert trainer._budget_spent()
    finally:
        trainer.lock.release()


def test_public_names_are_not_shadowed_by_submodules():
    import importlib
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(lm.__path__)}
    for name in modules:
        importlib.import_module(f"lm.{name}")
    assert not modules & set(lm.__all__)
    assert callable(lm.train) and callable(lm.load)
