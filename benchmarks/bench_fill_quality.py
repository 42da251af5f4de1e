"""How often is the model's first guess for the blank right? Top-1 / top-5 accuracy on a
held-out blank set (the generated corpora/blanks.jsonl, or the hand-written everyday set; never
in the training text), with the right context and with the left context alone, by category.

    python benchmarks/bench_fill_quality.py [--model PATH] [--set "everyday set"] [--limit N]
"""

from __future__ import annotations

import corpora
from _common import parser, setup

from lm.quiz import blank_set_items
from lm.quiz.scorecard import score_items


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--limit", type=int, default=None, help="only the first N items")
    p.add_argument("--set", default="blank set", choices=sorted(corpora.BLANK_SETS))
    args = p.parse_args()
    model = setup(args)
    items = blank_set_items(args.set)[: args.limit]
    rows = score_items(model, items)["categories"]

    print(f"model: {model.describe()}")
    print(f"{len(items)} held-out blanks of the {args.set}; accuracy with right context vs left context only")
    print(f"{'category':<14}{'items':>6}{'top-1':>9}{'top-5':>9}{'left top-1':>12}{'left top-5':>12}")
    for key in sorted(k for k in rows if k != "all") + ["all"]:
        r = rows[key]
        print(f"{key:<14}{r['items']:>6}{r['top1']:>9.1%}{r['top5']:>9.1%}{r['left_top1']:>12.1%}"
              f"{r['left_top5']:>12.1%}")


if __name__ == "__main__":
    main()
