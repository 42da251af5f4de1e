"""A damaged checkpoint never loads as if it were fine: single-byte flips over every region of a
small best.pt and last.pt either fail with one clear error or load exactly what was saved (a flip
in bytes the archive never reads, like a zip timestamp)."""

from __future__ import annotations

import random

import pytest
import torch

from lm import checkpoint
from lm.errors import CheckpointError

FLIPS = 150  # per file, spread over the whole file


def same(a: checkpoint.Checkpoint, b: checkpoint.Checkpoint) -> bool:
    sa, sb = a.model.state_dict(), b.model.state_dict()
    return (sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
            and a.meta == b.meta and a.tokenizer.to_bytes() == b.tokenizer.to_bytes()
            and a.model.config == b.model.config
            and repr(a.train_state) == repr(b.train_state))


@pytest.mark.parametrize("name", ["best.pt", "last.pt"])
def test_no_single_byte_flip_loads_silently(tiny_model_dir, tmp_path, name):
    source = tiny_model_dir / name
    original = checkpoint.load(source, with_train_state=True)
    data = source.read_bytes()
    r = random.Random(name)
    # Evenly over the file, so the zip headers, the outer pickle, the payload and the directory
    # at the end all get flips; a random bit of each chosen byte.
    positions = sorted({int(i * len(data) / FLIPS) + r.randrange(max(1, len(data) // FLIPS))
                        for i in range(FLIPS)})
    refused = identical = 0
    silent = []
    for pos in positions:
        pos = min(pos, len(data) - 1)
        flipped = bytearray(data)
        flipped[pos] ^= 1 << r.randrange(8)
        path = tmp_path / f"flip-{pos}.pt"
        path.write_bytes(flipped)
        try:
            loaded = checkpoint.load(path, with_train_state=True)
        except CheckpointError:
            refused += 1
        else:
            if same(loaded, original):
                identical += 1
            else:
                silent.append(pos)
        path.unlink()
    assert not silent, f"{len(silent)} of {len(positions)} flips loaded as different content: {silent[:5]}"
    assert refused > len(positions) // 2  # most bytes of a checkpoint matter
