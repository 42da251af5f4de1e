"""Drawing a quiz: which held-out sentences also occur in the training split, checked with one
sorted index of the split (lm/quiz/occurrence.py) against `s in train` for each sentence; then the
first quiz a process draws (rnn-tui quiz, the app's quiz mode, rnn-tui eval), whole.

    python benchmarks/bench_quiz_draw.py [--model PATH] [--repeats 5]
"""

from __future__ import annotations

import time

import corpora
import lm
from _common import median, parser, setup
from lm.corpus import load_corpus
from lm.quiz import sources
from lm.quiz.occurrence import occurring
from lm.quiz.scorecard import training_corpus


def seconds(fn) -> tuple[object, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    model = setup(args)
    corpus, fractions = training_corpus(model, None)
    parts = load_corpus(list(corpus)).split(fractions)
    needles = list(dict.fromkeys(
        [s for split in ("val", "test") for s in sources.sentences(parts[split])
         if 4 <= len(s.split()) <= 24]
        + [it.sentence for src in corpora.BLANK_SETS for it in sources.blank_set_items(src)]))
    train = parts["train"]
    print(f"{'+'.join(corpus)}: training split {len(train):,} characters; {len(needles):,} "
          f"sentences to look for (val, test, blank sets); median of {args.repeats}")

    plain, ours = [], []
    for _ in range(args.repeats):
        expected, t = seconds(lambda: [s in train for s in needles])
        plain.append(t)
        got, t = seconds(lambda: occurring(train, needles))
        ours.append(t)
        assert got == expected, "the index and `in` disagree"
    print(f"  `s in train` for each    {median(plain):7.3f} s")
    print(f"  occurring(train, ...)     {median(ours):7.3f} s   {median(plain) / median(ours):.1f}x "
          f"({sum(expected):,} found in training)")

    def first_quiz(seed: int) -> float:
        sources._BLANKABLE.clear()  # as a new process finds it
        return seconds(lambda: lm.quiz.items(model, n=10, seed=seed, rated=False))[1]

    plain, ours = [], []
    for seed in range(args.repeats):
        sources.occurring = lambda text, needles: [n in text for n in needles]
        plain.append(first_quiz(seed))
        sources.occurring = occurring
        ours.append(first_quiz(seed))
    print(f"  a process's first quiz (lm.quiz.items, n=10, unrated): with `in` {median(plain):.3f} s,"
          f" with the index {median(ours):.3f} s   {median(plain) / median(ours):.1f}x")

if __name__ == "__main__":
    main()
