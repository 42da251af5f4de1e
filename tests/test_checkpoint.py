import hashlib
import io
import json
import os
import pickle

import pytest
import torch

import lm
from lm import checkpoint
from lm.errors import CheckpointError


def test_round_trip_gives_the_same_logits(tiny_model_dir, tmp_path):
    ck = checkpoint.load(tiny_model_dir / "best.pt")
    copy = tmp_path / "copy.pt"
    checkpoint.save(copy, ck)
    again = checkpoint.load(copy)
    ids = torch.tensor([ck.tokenizer.encode("I am a boy.")])
    torch.testing.assert_close(again.model(ids)[0], ck.model(ids)[0], rtol=0, atol=0)
    assert again.meta == ck.meta
    assert again.tokenizer.to_bytes() == ck.tokenizer.to_bytes()


def test_a_half_precision_save_is_half_the_size_and_keeps_tied_weights_one(tmp_path):
    from lm.model import ModelConfig, RNNLM

    net = RNNLM(ModelConfig(vocab_size=300, cell="gru", embed=32, hidden=32, layers=1,
                            tie_weights=True))
    tok = lm.CharTokenizer.train("".join(chr(c) for c in range(32, 331)))
    full, half = tmp_path / "full.pt", tmp_path / "half.pt"
    checkpoint.save(full, checkpoint.Checkpoint(net, tok))
    checkpoint.save(half, checkpoint.Checkpoint(net, tok), half=True)
    assert half.stat().st_size < 0.6 * full.stat().st_size
    again = checkpoint.load(half).model
    assert again.embedding.weight is again.head.weight
    assert next(again.parameters()).dtype == torch.float32
    ids = torch.tensor([tok.encode("I am a boy.")])
    torch.testing.assert_close(again(ids)[0], net.eval()(ids)[0], rtol=0, atol=2e-3)


def test_metadata_records_the_run(tiny_model_dir):
    meta = checkpoint.load(tiny_model_dir / "last.pt").meta
    assert meta["train_config"]["cell"] == "lstm"
    assert len(meta["corpus"]["sha256"]) == 64
    assert meta["steps"] > 0 and meta["best_val"]["bpc"] > 0
    assert meta["wall_seconds"] >= 0


def test_truncated_file_is_refused(tiny_model_dir, tmp_path):
    data = (tiny_model_dir / "best.pt").read_bytes()
    bad = tmp_path / "truncated.pt"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="not an rnn-tui checkpoint"):
        checkpoint.load(bad)


def test_a_changed_payload_is_detected(tiny_model_dir, tmp_path):
    path = tmp_path / "flipped.pt"
    checkpoint.save(path, checkpoint.load(tiny_model_dir / "best.pt"))
    outer = torch.load(path, weights_only=True)
    outer["payload"][len(outer["payload"]) // 2] ^= 1  # a silent change, as a bad disk would make
    torch.save(outer, path)
    with pytest.raises(CheckpointError, match="digest"):
        checkpoint.load(path)


def test_weights_that_do_not_fit_the_config_are_refused_before_a_model_is_made(tiny_model_dir,
                                                                              tmp_path):
    # A 40 kB file claiming hidden 6000 must not allocate a 6000-wide model before refusal.
    ck = checkpoint.load(tiny_model_dir / "best.pt")
    content = {"model_config": json.dumps(dict(ck.model.config.to_dict(), hidden=6000)),
               "tokenizer_kind": ck.tokenizer.kind,
               "tokenizer": torch.frombuffer(bytearray(ck.tokenizer.to_bytes()), dtype=torch.uint8),
               "meta": "{}", "weights": ck.model.state_dict()}
    buffer = io.BytesIO()
    torch.save(content, buffer)
    data = buffer.getvalue()
    path = tmp_path / "claims-huge.pt"
    torch.save({"format": checkpoint.FORMAT, "version": checkpoint.VERSION,
                "sha256": hashlib.sha256(data).hexdigest(),
                "payload": torch.frombuffer(bytearray(data), dtype=torch.uint8)}, path)
    with pytest.raises(CheckpointError, match="do not fit its config"):
        checkpoint.load(path)


def test_format_1_files_still_load(tiny_model_dir, tmp_path):
    ck = checkpoint.load(tiny_model_dir / "best.pt")
    weights = ck.model.state_dict()
    path = tmp_path / "v1.pt"
    torch.save({"format": checkpoint.FORMAT, "version": 1,
                "model_config": json.dumps(ck.model.config.to_dict()),
                "tokenizer_kind": ck.tokenizer.kind,
                "tokenizer": torch.frombuffer(bytearray(ck.tokenizer.to_bytes()), dtype=torch.uint8),
                "meta": json.dumps(ck.meta), "weights": weights,
                "digest": checkpoint.weights_digest(weights)}, path)
    assert checkpoint.load(path).meta == ck.meta


def test_newer_format_version_is_refused(tiny_model_dir, tmp_path):
    payload = torch.load(tiny_model_dir / "best.pt", weights_only=True)
    assert payload["version"] == checkpoint.VERSION
    payload["version"] = 99
    path = tmp_path / "future.pt"
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="format 99"):
        checkpoint.load(path)


def test_other_torch_files_are_not_checkpoints(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"w": torch.zeros(2)}, path)
    with pytest.raises(CheckpointError, match="not an rnn-tui checkpoint"):
        checkpoint.load(path)


class _Exploit:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_loading_never_runs_code_from_the_file(tmp_path):
    marker = tmp_path / "pwned"
    exploit = _Exploit()
    exploit.marker = marker
    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        pickle.dump({"format": "rnn-tui-checkpoint", "x": exploit}, f)
    with pytest.raises(CheckpointError):
        checkpoint.load(path)
    assert not marker.exists()


def test_missing_and_folder_paths(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        checkpoint.load(tmp_path / "nope.pt")
    with pytest.raises(CheckpointError, match="not a file"):
        checkpoint.load(tmp_path)


def test_load_accepts_a_run_folder(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    assert model.path.name == "best.pt"
    assert "lstm 1x64" in model.describe()
