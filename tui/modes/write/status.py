"""One line: which model, how it samples, how fast the last reply streamed."""

from __future__ import annotations

from textual.widgets import Static

import lm

from ...settings import Settings


class StatusLine(Static):
    def show(self, model: lm.LanguageModel | None, settings: Settings, tokens_per_s: float | None,
             note: str = "") -> None:
        if model is None:
            self.update(note or "loading model…")
            return
        c, s = model.net.config, settings.sampling
        speed = f" · {tokens_per_s:,.0f} tok/s" if tokens_per_s else ""
        self.update(
            f"{model.name} · {c.cell} {c.layers}x{c.hidden} · {model.tokenizer.kind} · "
            f"{model.net.num_parameters() / 1e6:.2f}M params · T={s.temperature:.1f} "
            f"top-k {s.top_k or 'off'} top-p {s.top_p:g}{speed}"
            + (f" · {note}" if note else "")
        )
