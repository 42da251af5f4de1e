"""How often is the model's first guess for the blank right? Top-1 / top-5 accuracy on the
held-out blank set (corpora/blanks.jsonl, never in the training text), with the right context
and with the left context alone, by category.

    python benchmarks/bench_fill_quality.py [--model PATH] [--limit N]
"""

from __future__ import annotations

from collections import defaultdict

from _common import parser, setup

import corpora


def correct(item: dict, guess: str) -> bool:
    accepted = {item["answer"].lower(), *(a.lower() for a in item["alternatives"])}
    return guess.lower() in accepted


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--limit", type=int, default=None, help="only the first N items")
    args = p.parse_args()
    model = setup(args)
    items = corpora.blank_items()[: args.limit]

    tally = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, right top1, right top5, left top1, left top5
    for item in items:
        both = [c["token_str"] for c in model.fill(item["text"], k=5)]
        left = [c["token_str"] for c in model.fill(item["text"], k=5, left_only=True)]
        for key in (item["category"], "all"):
            t = tally[key]
            t[0] += 1
            t[1] += bool(both) and correct(item, both[0])
            t[2] += any(correct(item, g) for g in both)
            t[3] += bool(left) and correct(item, left[0])
            t[4] += any(correct(item, g) for g in left)

    print(f"model: {model.describe()}")
    print(f"{len(items)} held-out blanks; accuracy with right context vs left context only")
    print(f"{'category':<14}{'items':>6}{'top-1':>9}{'top-5':>9}{'left top-1':>12}{'left top-5':>12}")
    for key in sorted(k for k in tally if k != "all") + ["all"]:
        n, r1, r5, l1, l5 = tally[key]
        print(f"{key:<14}{n:>6}{r1 / n:>9.1%}{r5 / n:>9.1%}{l1 / n:>12.1%}{l5 / n:>12.1%}")


if __name__ == "__main__":
    main()
