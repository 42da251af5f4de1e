"""Train the three small models the learning views compare: a tanh RNN, an LSTM and a GRU.

    python scripts/make_comparison_models.py [--steps 5000]

Same corpus, same seed, one layer each, the same parameter budget (about 410k, within 4 %: the
hidden sizes below make the three cells cost the same, since an LSTM layer carries four weight
blocks, a GRU three and a tanh RNN one) and so about the same arithmetic per update, and the
same number of updates. Updates, not wall-clock minutes, are the budget: on a shared 2-core
machine the minutes depend on what else runs, and a step budget is reproducible. 5,000 steps is
about what the tanh RNN reached in 8 minutes on one core here; the minutes each took are recorded.
Writes lm/shipped/compare/{rnn,lstm,gru}.pt and lm/shipped/compare/MODELS.json (settings, budget,
validation figures, steps, minutes, parameters). Untrained copies are not shipped: `lm.inspect`
re-initialises one from the same config and a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import lm

OUT = Path(__file__).resolve().parent.parent / "lm" / "shipped" / "compare"
HIDDEN = {"rnn": 560, "lstm": 280, "gru": 320}  # 401k / 415k / 402k parameters on the char vocab
COMMON = dict(corpus=("default",), layers=1, embed=64, dropout=0.0, batch_size=32, seq_len=64,
              lr=3e-3, eval_every=500,
              seed=20261122, threads=1, precision="fp32")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    records = {}
    for cell, hidden in HIDDEN.items():
        with tempfile.TemporaryDirectory() as tmp:
            config = lm.TrainConfig(**COMMON, cell=cell, hidden=hidden, steps=args.steps,
                                    out=str(Path(tmp) / "run"))
            lm.set_threads(config.threads)
            started = time.time()
            result = lm.train(config, on_event=lambda e, cell=cell: _print_evals(cell, e))
            minutes = (time.time() - started) / 60
            shutil.copyfile(result.best_path, OUT / f"{cell}.pt")
        model = lm.load(OUT / f"{cell}.pt")
        records[cell] = {
            "train_config": {k: v for k, v in asdict(config).items() if k != "out"},
            "val_bpc": round(result.best_val.bpc, 4),
            "steps": result.steps,
            "training_minutes": round(minutes, 2),
            "tokens_per_s": round(result.tokens_per_s),
            "parameters": model.net.num_parameters(),
            "file_bytes": (OUT / f"{cell}.pt").stat().st_size,
        }
        print(json.dumps({cell: records[cell]}, indent=2), flush=True)
    record = {"command": f"python scripts/make_comparison_models.py --steps {args.steps}",
              "budget_steps": args.steps, "models": records}
    (OUT / "MODELS.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


def _print_evals(cell: str, event) -> None:
    if isinstance(event, lm.Evaluated):
        print(f"{cell} step {event.step}: val {event.val.bpc:.4f} bpc", flush=True)


if __name__ == "__main__":
    sys.exit(main())
