"""The cell lens on 2,000 characters for the three comparison models: the trace (a worker's job)
and drawing one unit's colours (the UI thread's job), against drawing the same text unstyled.

    python benchmarks/bench_lens.py [--chars 2000]
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from _common import held_out_text, median, parser, pct, timed

import lm
from lm import inspect as lmi
from tui.modes.inspect.lens import Focus, lens_text


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--chars", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=11)
    args = p.parse_args()
    lm.set_threads(args.threads)
    models = {cell: lmi.load_comparison(cell) for cell in lmi.comparison_paths()}
    text = held_out_text(next(iter(models.values())), args.chars)
    console = Console(file=io.StringIO(), width=120, color_system="truecolor")

    def draw(styled: Text) -> None:
        console.file = io.StringIO()
        console.print(styled)

    print(f"{args.chars} characters of held-out text, width 120, threads={args.threads}")
    print(f"{'model':<8}{'trace p50 ms':>14}{'draw p50 ms':>13}{'draw p95':>10}{'plain draw':>12}"
          f"{'ratio':>8}")
    totals = []
    for cell, model in models.items():
        traced = timed(lambda: lmi.trace_text(model, text), max(3, args.repeats // 3))
        trace = lmi.trace_text(model, text)
        drawn = timed(lambda: draw(lens_text(trace, text, Focus(), len(text) - 1, None)), args.repeats)
        plain = timed(lambda: draw(Text(text)), args.repeats)
        totals.append(median(traced) + median(drawn))
        print(f"{cell:<8}{median(traced):>14.1f}{median(drawn):>13.1f}{pct(drawn, 0.95):>10.1f}"
              f"{median(plain):>12.1f}{median(drawn) / median(plain):>7.1f}x")
    print(f"all three models: {sum(totals):.0f} ms of trace and drawing (p50s summed)")


if __name__ == "__main__":
    main()
