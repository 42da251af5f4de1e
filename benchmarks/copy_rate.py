"""Does the model write, or recite? The share of 30-character substrings of its samples that
appear verbatim in the text it trained on, beside the same share for held-out text of the same
corpus (what an honest writer of this kind of text would also "copy").

    python benchmarks/copy_rate.py [--model PATH] [--chars 20000] [--temperature 0.7]
"""

from __future__ import annotations

import argparse

import lm


WINDOW = 30
PROMPTS = ["I am a", "The ", "A: ", "She ", "One morning", "They ", "He was", "We "]


def windows(text: str) -> list[str]:
    return [text[i : i + WINDOW] for i in range(len(text) - WINDOW + 1)]


def copied_share(text: str, known: set[str]) -> float:
    ws = windows(text)
    return sum(w in known for w in ws) / max(len(ws), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--temperature", type=float, default=0.7)
    args = parser.parse_args()

    model = lm.load(args.model)
    config = model.meta["train_config"]
    splits = lm.load_corpus(config["corpus"]).split(tuple(config["split"]))
    known = set(windows(splits["train"]))

    samples, seed = [], 0
    while sum(map(len, samples)) < args.chars:
        prompt = PROMPTS[seed % len(PROMPTS)]
        sampling = lm.Sampling(max_tokens=400, temperature=args.temperature, seed=seed)
        text = "".join(model.generate(prompt, sampling))
        samples.append(text)
        seed += 1
    sample = "\n".join(samples)[: args.chars]
    held_out = splits["val"][: args.chars]

    print(f"model {model.describe()}")
    print(f"first sample (prompt {PROMPTS[0]!r}, temperature {args.temperature}):")
    print(PROMPTS[0] + samples[0][:300])
    print()
    print(f"{WINDOW}-char windows found verbatim in the training split:")
    print(f"  model samples ({len(sample):,} chars):      {copied_share(sample, known):6.1%}")
    print(f"  held-out val text ({len(held_out):,} chars):  {copied_share(held_out, known):6.1%}")


if __name__ == "__main__":
    main()
