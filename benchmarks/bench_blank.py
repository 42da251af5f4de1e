"""A blank with a 10-word right context on the shipped model: the whole fill() (64 candidates)
as it was, with each speed-up added in turn, against rescoring the candidates one at a time.

    python benchmarks/bench_blank.py [--model PATH] [--quality]

The paths, each adding one trick to the one above:
  re-read   beam search, then every candidate word + the right context read again, batched
  word-end  the rescoring starts where the beam left each word: only the right context is read
  pruned    and a candidate trailing the leader by more than PRUNE_MARGIN nats stops being read
  real words  and only words of the training text are proposed
  capped    and no more than RIGHT_TOKENS of the right context are read
  fused     and after PRUNE_TOKENS the survivors read the rest in one call (what fill() does)
--quality also runs every path on both blank sets and prints top-1, to show each trick's cost.

Then typing: the right context typed key by key after the blank, a fill() per key as the app
does, with the beam search of the unchanged left context reused (BeamMemo) and without.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from _common import median, parser, pct, setup, timed

from lm.blank_marks import BLANK
from lm.infer.blanks import (PROPOSALS, PRUNE_MARGIN, PRUNE_TOKENS, RIGHT_TOKENS, BeamMemo, fill,
                             fill_one, right_context, score_continuations)

LEFT = "After school the children walked home together, and "
RIGHT = " put the bags down on the table near the door."
PATHS = {"re-read": dict(from_word_ends=False, margin=None),
         "word-end": dict(from_word_ends=True, margin=None, right_tokens=None, prune_tokens=None),
         "pruned": dict(from_word_ends=True, margin=PRUNE_MARGIN, right_tokens=None,
                        prune_tokens=None)}
SETS = {"everyday set": "everyday_blanks.jsonl", "generated blank set": "blanks.jsonl"}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--repeats", type=int, default=31)
    p.add_argument("--quality", action="store_true", help="also top-1 on both blank sets")
    args = p.parse_args()
    model = setup(args)
    engine = model.engine
    assert len(RIGHT.split()) == 10
    # What the app and `rnn-tui fill` run: the same, proposing words of the training text only.
    PATHS["real words"] = dict(PATHS["pruned"], known=model.lexicon)
    PATHS["capped"] = dict(PATHS["real words"], right_tokens=RIGHT_TOKENS)
    PATHS["fused"] = dict(PATHS["capped"], prune_tokens=PRUNE_TOKENS)  # what fill() runs

    def run(path: str):
        return fill_one(engine, LEFT, RIGHT, k=5, proposals=PROPOSALS, **PATHS[path])[0]

    session = model.session(LEFT)
    words = [c.token_str for c in model.next_words(session, PROPOSALS)]
    endings = [w + RIGHT for w in words]
    a = score_continuations(session, LEFT, endings)
    b = torch.cat([score_continuations(session, LEFT, [e]) for e in endings])
    assert torch.allclose(a, b, atol=1e-4), "batched and one-by-one scores differ"
    assert run("pruned")[0].token_str == run("re-read")[0].token_str

    # Interleaved rounds, so a busy moment hits every path alike.
    times: dict[str, list[float]] = {name: [] for name in [*PATHS, "one at a time"]}
    for _ in range(args.repeats):
        for name in PATHS:
            times[name] += timed(lambda: run(name), 1)
    for _ in range(max(3, args.repeats // 6)):
        times["one at a time"] += timed(
            lambda: [score_continuations(model.session(LEFT), LEFT, [e]) for e in endings], 1)

    print(f"model: {model.describe()}")
    print(f"whole fill(): {PROPOSALS} candidates x a right context of 10 words, "
          f"threads={args.threads}, {args.repeats} rounds")
    print(f"{'path':<40}{'p50 ms':>9}{'p95 ms':>9}")
    labels = {"re-read": "re-read (the previous rescoring)", "word-end": "+ from the word ends",
              "pruned": f"+ pruning at {PRUNE_MARGIN:g} nats",
              "real words": "+ training-text words only",
              "capped": f"+ {RIGHT_TOKENS} tokens of right context",
              "fused": f"+ one fused read after {PRUNE_TOKENS} tokens (ours)",
              "one at a time": "rescoring alone, one candidate at a time"}
    for name, xs in times.items():
        print(f"{labels[name]:<40}{median(xs):>9.1f}{pct(xs, 0.95):>9.1f}")
    print(f"ours is {median(times['re-read']) / median(times['fused']):.2f}x faster than the "
          f"previous rescoring and {median(times['one at a time']) / median(times['fused']):.1f}x "
          f"faster than rescoring one at a time")
    if model.tokenizer.kind == "char":  # the memo keeps a char model's beam search (blanks.py)
        typing(model, args.repeats)
    else:
        print("typing: the left context's search is kept for char models only; not timed")
    if args.quality:
        quality(engine)


def typing(model, repeats: int) -> None:
    texts = [f"{LEFT}___{RIGHT[:i]}" for i in range(1, len(RIGHT) + 1)]
    memo = BeamMemo()
    fill(model.engine, texts[0], known=model.lexicon, memo=memo)  # the key that made the blank
    times: dict[str, list[float]] = {"reused": [], "searched": []}
    for _ in range(max(1, repeats // 10)):
        for text in texts:
            times["reused"] += timed(lambda: fill(model.engine, text, known=model.lexicon,
                                                  memo=memo), 1)
            times["searched"] += timed(lambda: fill(model.engine, text, known=model.lexicon), 1)
    assert fill(model.engine, texts[-1], known=model.lexicon, memo=memo) == \
        fill(model.engine, texts[-1], known=model.lexicon), "the reused search ranks differently"
    assert memo.hits >= len(texts), "the memo was not used"
    print(f"typing the right context key by key ({len(texts)} keys, a fill() per key):")
    print(f"{'search each key':<40}{median(times['searched']):>9.1f}{pct(times['searched'], 0.95):>9.1f}")
    print(f"{'left context searched once (ours)':<40}{median(times['reused']):>9.1f}"
          f"{pct(times['reused'], 0.95):>9.1f}")
    print(f"ours is {median(times['searched']) / median(times['reused']):.2f}x faster per key")


def quality(engine) -> None:
    root = Path(__file__).resolve().parent.parent / "corpora"
    print(f"{'top-1':<28}" + "".join(f"{name:>12}" for name in PATHS))
    for label, file in SETS.items():
        items = [json.loads(line) for line in (root / file).read_text(encoding="utf-8").splitlines()]
        hits = dict.fromkeys(PATHS, 0)
        for item in items:
            accepted = {a.lower() for a in [item["answer"], *item.get("alternatives", [])]}
            m = BLANK.search(item["text"])
            left, right = item["text"][: m.start()], right_context(item["text"][m.end():])
            for name, opts in PATHS.items():
                ranked = fill_one(engine, left, right, k=1, proposals=PROPOSALS, **opts)[0]
                hits[name] += bool(ranked) and ranked[0].token_str.lower() in accepted
        print(f"{label + f' ({len(items)})':<28}"
              + "".join(f"{100 * hits[n] / len(items):>11.1f}%" for n in PATHS))


if __name__ == "__main__":
    main()
