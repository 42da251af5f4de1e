"""What sampling does to the next token, made visible: the model's own distribution beside the
one a token is actually drawn from under the temperature, top-k and top-p (decode.pick's); and
the same for a blank's candidates."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..candidate import Candidate
from ..sampling import Sampling
from ..tokenizers import Tokenizer
from .decode import sampling_probs


@dataclass(frozen=True)
class TokenShare:
    token: str
    p: float  # the model's own probability (temperature 1, nothing cut)
    sampled: float  # the probability sampling draws it with (0: cut by top-k or top-p)


@dataclass(frozen=True)
class NextToken:
    shares: list[TokenShare]  # the k likeliest by the model's own probability
    entropy_bits: float  # of the model's own distribution
    sampled_entropy_bits: float  # of the distribution sampling draws from
    candidates: int  # tokens sampling can draw at all


def next_token(logits: torch.Tensor, tokenizer: Tokenizer, ban: torch.Tensor,
               sampling: Sampling, k: int = 20) -> NextToken:
    """The next token's distribution before and after sampling's settings; `ban` (the special
    tokens' -inf) applies to both, as it does when the stream samples."""
    logits = logits.float() + ban
    own = torch.softmax(logits, dim=-1)
    drawn = sampling_probs(logits, sampling.temperature, sampling.top_k, sampling.top_p)
    drawn = drawn / drawn.sum()  # as the draw renormalises what top-k and top-p leave
    top = torch.topk(own, min(k, own.numel()))
    shares = [TokenShare(tokenizer.decode([int(i)]), float(p), float(drawn[i]))
              for p, i in zip(top.values, top.indices)]
    return NextToken(shares, _entropy_bits(own), _entropy_bits(drawn), int((drawn > 0).sum()))


def _entropy_bits(probs: torch.Tensor) -> float:
    p = probs[probs > 0]
    return float(-(p * p.log()).sum()) / math.log(2)


def blank_shares(candidates: list[Candidate], sampling: Sampling) -> NextToken:
    """A blank's candidates (their probabilities normalised over the candidates, as the panel
    shows them) before and after sampling's settings, as if the blank were filled by a draw."""
    own = torch.tensor([max(c.score, 1e-12) for c in candidates], dtype=torch.float)
    own = own / own.sum()
    drawn = sampling_probs(own.log(), sampling.temperature, sampling.top_k, sampling.top_p)
    drawn = drawn / drawn.sum()
    shares = [TokenShare(c.token_str, float(p), float(d))
              for c, p, d in zip(candidates, own, drawn)]
    return NextToken(shares, _entropy_bits(own), _entropy_bits(drawn), int((drawn > 0).sum()))
