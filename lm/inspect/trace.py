"""Everything a cell computes over a text: every layer's h (and c) and gates at every step, with
the model's guesses for the next token. Read with the per-token engine, whose values equal the
training model's forward (a test holds them to it)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..infer.engine import Engine
from ..language_model import LanguageModel


@dataclass(frozen=True)
class Channel:
    layer: int  # 0-based
    name: str  # "h", "c" (LSTM) or a gate: LSTM i, f, g, o; GRU r, z, n

    def label(self) -> str:
        kind = self.name if self.name in ("h", "c") else f"gate {self.name}"
        return f"L{self.layer + 1} {kind}"


@dataclass
class TextTrace:
    text: str
    cell: str
    layers: int
    hidden: int
    tokens: list[str]
    spans: list[tuple[int, int]]  # [start, end) of each token in text
    values: dict[Channel, torch.Tensor]  # (T, H): the value after reading token t
    guesses: list[list[tuple[str, float]]]  # the top next tokens after token t, with probabilities

    def channels(self) -> list[Channel]:
        return list(self.values)

    def unit(self, channel: Channel, unit: int) -> list[float]:
        return self.values[channel][:, unit].tolist()

    def per_char(self, channel: Channel, unit: int) -> list[float]:
        """One value per character of the text: the value after the token that holds it."""
        out = [0.0] * len(self.text)
        for (start, end), value in zip(self.spans, self.unit(channel, unit)):
            out[start:end] = [value] * (end - start)
        return out


def trace_text(model: LanguageModel, text: str, *, top: int = 3) -> TextTrace:
    """Read `text` from the model's start state, recording everything each step computes."""
    engine: Engine = model.engine
    tokenizer = model.tokenizer
    ids = tokenizer.encode(text)
    tokens, spans, pos = [], [], 0
    decoded = ""
    for t in range(len(ids)):
        # Decoding the growing prefix keeps spans right where a piece's text depends on context.
        decoded = tokenizer.decode(ids[: t + 1]) if not tokenizer.char_level else decoded + engine.pieces[ids[t]]
        tokens.append(decoded[pos:])
        spans.append((pos, len(decoded)))
        pos = len(decoded)
    names = model.net.spec.state + model.net.spec.gates
    rows: dict[Channel, list[torch.Tensor]] = {Channel(k, n): [] for k in range(engine.layers)
                                                for n in names}
    guesses = []
    _, state = engine.start_state()
    for token in ids:
        gates: list[dict] = []
        logits, state = engine.step(torch.tensor([token]), state, trace=gates)
        for k in range(engine.layers):
            for i, name in enumerate(model.net.spec.state):
                rows[Channel(k, name)].append(state[k][0, i * engine.hidden : (i + 1) * engine.hidden].clone())
            for name, value in gates[k].items():
                rows[Channel(k, name)].append(value[0].clone())
        probs = torch.softmax(logits[0] + engine.ban, dim=-1)
        p, i = probs.topk(min(top, len(probs)))
        guesses.append([(engine.pieces[j], float(q)) for q, j in zip(p.tolist(), i.tolist())])
    hidden = engine.hidden
    values = {ch: (torch.stack(v) if v else torch.zeros(0, hidden)) for ch, v in rows.items()}
    return TextTrace(decoded, model.cell, engine.layers, hidden, tokens, spans, values, guesses)
