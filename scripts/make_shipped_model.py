"""Train the model that ships with rnn-tui, and record how it was made.

    python scripts/make_shipped_model.py                  # trains for BUDGET_MINUTES, then ships
    python scripts/make_shipped_model.py --from-run DIR   # ships a run trained with CONFIG

Trains on the bundled `default` corpus with CONFIG (one thread: on a 2-core machine the other
core runs a second candidate, or the user's work), then copies the best checkpoint to
lm/shipped/default.pt (as float16 weights where float32 would pass SIZE_LIMIT) and writes
lm/shipped/MODEL.json: the settings, the validation figures of the file as shipped, the steps
and the training time. `--from-run` ships a run made with the same CONFIG elsewhere (the
frontier study trains its candidates as `rnn-tui train` runs: benchmarks/frontier.py); it
refuses a run whose settings differ. CONFIG is the frontier's winner (docs/models.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import lm
from lm import checkpoint

SHIPPED = Path(__file__).resolve().parent.parent / "lm" / "shipped"
BUDGET_MINUTES = 60  # what the project allows the shipped model on a 2-core machine
SIZE_LIMIT = 20_000_000  # bytes
CONFIG = dict(corpus=("default",), tokenizer="sp", vocab_size=4000, cell="gru", layers=2,
              hidden=384, embed=384, tie_weights=True, dropout=0.2, batch_size=32, seq_len=64,
              lr=3e-3, weight_decay=0.1, max_minutes=BUDGET_MINUTES, eval_every=250,
              seed=20261207, threads=1)
# What may differ between CONFIG and a run that --from-run ships: where and how it ran.
WHERE = ("out", "resume", "device", "precision", "threads", "from_recipe")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--from-run", type=Path, help="a run folder trained with CONFIG")
    args = p.parse_args()
    if args.from_run:
        return ship(args.from_run, "python scripts/make_shipped_model.py --from-run RUN "
                    "(the run: benchmarks/frontier.py train)")
    with tempfile.TemporaryDirectory() as tmp:
        config = lm.TrainConfig(**CONFIG, out=str(Path(tmp) / "run"))
        lm.set_threads(config.threads)
        lm.train(config, on_event=_print_evals)
        return ship(Path(tmp) / "run", "python scripts/make_shipped_model.py")


def ship(run: Path, command: str) -> int:
    best, last = checkpoint.load(run / "best.pt"), checkpoint.load(run / "last.pt")
    wanted = asdict(lm.TrainConfig(**CONFIG))
    trained = best.meta["train_config"]
    differ = {k: (trained.get(k), v) for k, v in wanted.items()
              if k not in WHERE and _plain(trained.get(k)) != _plain(v)}
    if differ:
        print(f"{run} was not trained with CONFIG: {differ}", file=sys.stderr)
        return 1
    SHIPPED.mkdir(exist_ok=True)
    target = SHIPPED / "default.pt"
    checkpoint.save(target, best)
    half = target.stat().st_size > SIZE_LIMIT
    if half:
        checkpoint.save(target, best, half=True)
    model = lm.load(target)
    started = time.perf_counter()
    val = model.loss_on(split="val")
    record = {
        "command": command,
        "train_config": {k: v for k, v in trained.items() if k not in ("out", "from_recipe")},
        "budget_minutes": BUDGET_MINUTES,
        "seed": trained["seed"],
        "val_bpc": round(val.bpc, 4),
        "val_loss_nats": round(val.loss, 4),
        "steps": best.meta["steps"],
        "run_steps": last.meta["steps"],
        "training_minutes": round(last.meta["wall_seconds"] / 60, 2),
        "tokens_per_s_wall": round(last.meta["steps"] * trained["batch_size"]
                                   * trained["seq_len"] / last.meta["wall_seconds"]),
        "parameters": model.net.num_parameters(),
        "weights": "float16" if half else "float32",
        "file_bytes": target.stat().st_size,
    }
    (SHIPPED / "MODEL.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))
    print(f"validated the shipped file in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


def _plain(v):
    return list(v) if isinstance(v, tuple) else v


def _print_evals(event) -> None:
    if isinstance(event, lm.Evaluated):
        print(f"step {event.step}: val {event.val.bpc:.4f} bpc", flush=True)


if __name__ == "__main__":
    sys.exit(main())
