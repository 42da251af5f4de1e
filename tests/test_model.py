import pytest
import torch

from lm.cells import CELLS
from lm.model import RNNLM, ModelConfig, detach


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_hidden_state_carried_across_calls_equals_one_pass(cell):
    """One set of weights shared by every step: two halves with the state carried == one pass."""
    torch.manual_seed(0)
    model = RNNLM(ModelConfig(vocab_size=11, cell=cell, embed=8, hidden=16, layers=2)).eval()
    ids = torch.randint(0, 11, (3, 20))
    full, _ = model(ids)
    first, hidden = model(ids[:, :7])
    second, _ = model(ids[:, 7:], hidden)
    torch.testing.assert_close(torch.cat([first, second], 1), full, rtol=0, atol=1e-6)


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_init_hidden_shape_matches_forward(cell):
    model = RNNLM(ModelConfig(vocab_size=5, cell=cell, hidden=12, layers=3))
    h0 = model.init_hidden(batch=2)
    logits, h1 = model(torch.zeros(2, 4, dtype=torch.long), h0)
    assert logits.shape == (2, 4, 5)
    flat = lambda h: [t.shape for t in (h if isinstance(h, tuple) else (h,))]
    assert flat(h1) == flat(h0)
    assert all(not t.requires_grad for t in (detach(h1) if cell == "lstm" else (detach(h1),)))


def test_tied_weights_share_storage():
    model = RNNLM(ModelConfig(vocab_size=9, embed=16, hidden=16, tie_weights=True))
    assert model.head.weight is model.embedding.weight


@pytest.mark.parametrize(
    "bad", [dict(cell="transformer"), dict(tie_weights=True, embed=8, hidden=16), dict(layers=0),
            dict(dropout=1.0)]
)
def test_bad_config_is_refused(bad):
    with pytest.raises(ValueError):
        ModelConfig(vocab_size=5, **bad)
