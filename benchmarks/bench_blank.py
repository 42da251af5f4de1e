"""A blank with right context: 32 candidates rescored with a 10-word right context, in one
batched pass, against rescoring them one at a time.

    python benchmarks/bench_blank.py [--model PATH]
"""

from __future__ import annotations

import torch

from _common import median, parser, pct, setup, timed

from lm.infer.blanks import PROPOSALS, fill, score_continuations

LEFT = "After school the children walked home together, and "
RIGHT = " put the bags down on the table near the door."


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--candidates", type=int, default=32)
    p.add_argument("--repeats", type=int, default=30)
    args = p.parse_args()
    model = setup(args)
    session = model.session(LEFT)
    words = [c.token_str for c in model.next_words(session, args.candidates)]
    endings = [w + RIGHT for w in words]
    assert len(RIGHT.split()) == 10

    batched = timed(lambda: score_continuations(session, LEFT, endings), args.repeats)
    one_by_one = timed(lambda: [score_continuations(session, LEFT, [e]) for e in endings],
                       max(3, args.repeats // 5))
    a = score_continuations(session, LEFT, endings)
    b = torch.cat([score_continuations(session, LEFT, [e]) for e in endings])
    assert torch.allclose(a, b, atol=1e-4), "batched and one-by-one scores differ"
    full = timed(lambda: fill(model.engine, LEFT + "___" + RIGHT, k=5, proposals=args.candidates),
                 max(5, args.repeats // 3))
    default = timed(lambda: model.fill(LEFT + "___" + RIGHT, k=5), max(5, args.repeats // 3))

    print(f"model: {model.describe()}")
    print(f"{len(words)} candidates x right context of {len(RIGHT.split())} words, "
          f"threads={args.threads}")
    print(f"{'path':<42}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'rescoring, batched (ours)':<42}{median(batched):>9.1f}{pct(batched, 0.95):>9.1f}")
    print(f"{'rescoring, one candidate at a time':<42}{median(one_by_one):>9.1f}"
          f"{pct(one_by_one, 0.95):>9.1f}")
    print(f"{f'whole fill(), {args.candidates} candidates (beam + rescoring)':<42}"
          f"{median(full):>9.1f}{pct(full, 0.95):>9.1f}")
    print(f"{f'whole fill(), default {PROPOSALS} candidates':<42}{median(default):>9.1f}"
          f"{pct(default, 0.95):>9.1f}")
    print(f"batched is {median(one_by_one) / median(batched):.1f}x faster than one by one")


if __name__ == "__main__":
    main()
