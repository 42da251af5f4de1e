"""How to choose the next token: one validated set of sampling settings, shared by the session
stream, `generate`, the samples printed during training, the CLI's flags and the app's settings.

Plain data, no torch: the CLI builds one while parsing its flags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .numbers import whole

MAX_TEMPERATURE = 5.0  # past this every model only babbles
MAX_TOKENS = 100_000
MAX_SEED = 2**63 - 1  # torch.Generator.manual_seed takes a signed 64-bit seed


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.8  # 0 is greedy
    top_k: int = 0  # sample among the k likeliest tokens; 0 is off
    top_p: float = 1.0  # sample among the likeliest tokens holding this much probability
    max_tokens: int = 200
    stop: tuple[str, ...] = field(default=())  # end at the first of these (not yielded)
    seed: int | None = None  # repeatable sampling

    def __post_init__(self):
        object.__setattr__(self, "stop", tuple(s for s in self.stop if s))
        for problem in self.problems():
            raise ValueError(problem)

    def problems(self) -> list[str]:
        """What is wrong with these settings, one line each (empty when they are fine)."""
        out = []
        t, p = self.temperature, self.top_p
        if not (isinstance(t, (int, float)) and math.isfinite(t) and 0 <= t <= MAX_TEMPERATURE):
            out.append(f"temperature must be a number from 0 to {MAX_TEMPERATURE:g}, not {t}")
        if not (isinstance(p, (int, float)) and math.isfinite(p) and 0 < p <= 1):
            out.append(f"top-p must be above 0 and at most 1, not {p}")
        if not (whole(self.top_k) and self.top_k >= 0):
            out.append(f"top-k must be 0 (off) or more, not {self.top_k}")
        if not (whole(self.max_tokens) and 1 <= self.max_tokens <= MAX_TOKENS):
            out.append(f"max tokens must be from 1 to {MAX_TOKENS:,}, not {self.max_tokens}")
        if self.seed is not None and not (whole(self.seed) and 0 <= self.seed <= MAX_SEED):
            out.append(f"seed must be from 0 to 2**63-1, not {self.seed}")
        return out

    @property
    def greedy(self) -> bool:
        return self.temperature == 0


