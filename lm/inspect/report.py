"""The learning views' figures in one place, for `rnn-tui inspect --report` and scripts: the
gradient through time and the memory probe for each comparison model, trained and untrained,
and how saturated their gates are, all over held-back text (the validation split)."""

from __future__ import annotations

from dataclasses import asdict

from ..cells import spec
from ..corpus import load_corpus
from ..language_model import LanguageModel
from .gradient import gradient_through_time
from .models import comparison_paths, load_comparison
from .probe import horizon, model_scorer, probe_items, run_probe
from .saturation import saturation
from .trace import trace_text

REPORT_KS = (1, 10, 20, 50)


def held_back_text(model: LanguageModel, chars: int = 4000) -> str:
    """Text the model did not train on: the start of its corpus's validation split."""
    trained = model.trained_on
    return load_corpus(list(trained.corpus)).split(trained.split)["val"][:chars]


def gradient_rows(max_k: int = 60, windows: int = 4) -> list[dict]:
    rows = []
    for cell in comparison_paths():
        trained = load_comparison(cell)
        text = held_back_text(trained)
        variants = [("trained", trained), ("untrained", load_comparison(cell, trained=False))]
        if spec(cell).forget_gate:
            variants.append(("untr. fb 0",  # untrained, the forget gate's bias at 0, not +1
                             load_comparison(cell, trained=False, forget_bias=0.0)))
        for label, model in variants:
            curve = gradient_through_time(model, text, max_k=max_k, windows=windows)
            rows.append({"cell": cell, "model": label,
                         **{f"k={k}": curve.at(k) for k in REPORT_KS if k <= max_k},
                         "decay": curve.decay, "horizon": curve.horizon, "max_k": max_k,
                         "c k=50": curve.c[49] if curve.c and max_k >= 50 else None})
    return rows


def probe_rows(per_gap: int = 120) -> list[dict]:
    items = probe_items(per_gap=per_gap)
    out = []
    for cell in comparison_paths():
        for label, trained in (("trained", True), ("untrained", False)):
            rows = run_probe(model_scorer(load_comparison(cell, trained=trained)), items)
            out.append({"cell": cell, "model": label, "horizon": horizon(rows),
                        "rows": [asdict(r) for r in rows]})
    return out


def saturation_rows(chars: int = 4000) -> list[dict]:
    out = []
    for cell in comparison_paths():
        model = load_comparison(cell)
        for channel, frac in saturation(trace_text(model, held_back_text(model, chars))).items():
            right, left = frac[:, 0], frac[:, 1]
            out.append({"cell": cell, "gate": channel.label(),
                        "mostly open (>0.9 half the time)": int((right > 0.5).sum()),
                        "mostly shut (<0.1 half the time)": int((left > 0.5).sum()),
                        "units": len(right), "mean open": float(right.mean()),
                        "mean shut": float(left.mean())})
    return out
