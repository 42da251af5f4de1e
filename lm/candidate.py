"""A ranked candidate: the one shape every ranking in rnn-tui returns (the next token, the word
being typed, what goes in a blank), as fill-mask tools write it."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Candidate:
    token_str: str  # the token or word itself
    score: float  # its probability, among the candidates it was ranked with
    sequence: str = ""  # the whole text with it in place (for a blank), else ""

    def to_dict(self) -> dict:
        return asdict(self)
