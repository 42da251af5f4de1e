"""Streaming speed: tokens/s of the session's stream against a naive eager step loop over the
same weights (greedy, so the outputs must be identical), and the memory-bandwidth bound.

Batch-1 generation reads every weight once per token, so tokens/s can not beat
(copy bandwidth) / (4 bytes x parameters); the bound is printed beside the measurements.

    python benchmarks/bench_stream.py [--model PATH] [--tokens 400]
"""

from __future__ import annotations

import time

import torch

import lm
from _common import median, parser, setup


def eager_loop(model, prompt: str, n: int, oneDNN: bool) -> tuple[list[int], float]:
    ids = model.tokenizer.encode(prompt)
    banned = torch.tensor(model.tokenizer.special_ids, dtype=torch.long)
    out = []
    was = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = oneDNN
    try:
        with torch.inference_mode():
            t = time.perf_counter()
            logits, hidden = model.net(torch.tensor([ids]), model.net.start_hidden(1))
            last = logits[0, -1]
            for _ in range(n):
                last = last.clone()
                last[banned] = float("-inf")
                token = int(torch.argmax(last))
                out.append(token)
                logits, hidden = model.net(torch.tensor([[token]]), hidden)
                last = logits[0, -1]
            return out, time.perf_counter() - t
    finally:
        torch.backends.mkldnn.enabled = was


def session_stream(model, prompt: str, n: int) -> tuple[str, float]:
    t = time.perf_counter()
    text = "".join(model.session(prompt).stream(lm.Sampling(temperature=0, max_tokens=n)))
    return text, time.perf_counter() - t


def copy_bandwidth() -> float:
    """Bytes per second of a plain large copy (read + write counted once, as a weight read)."""
    src = torch.empty(64 * 2**20, dtype=torch.float32).normal_()
    dst = torch.empty_like(src)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        dst.copy_(src)
        times.append(time.perf_counter() - t)
    return src.numel() * 4 / median(times)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--tokens", type=int, default=400)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    model = setup(args)
    prompt = "I am a"

    ours, eager_on, eager_off = [], [], []
    for _ in range(args.repeats):
        text, t = session_stream(model, prompt, args.tokens)
        ours.append(args.tokens / t)
        ids_on, t_on = eager_loop(model, prompt, args.tokens, oneDNN=True)
        eager_on.append(args.tokens / t_on)
        ids_off, t_off = eager_loop(model, prompt, args.tokens, oneDNN=False)
        eager_off.append(args.tokens / t_off)
        assert model.tokenizer.decode(ids_on) == text == model.tokenizer.decode(ids_off), \
            "greedy outputs differ"

    params = model.net.num_parameters()
    bandwidth = copy_bandwidth()
    bound = bandwidth / (4 * params)
    print(f"model: {model.describe()}")
    print(f"greedy, {args.tokens} tokens from {prompt!r}, threads={args.threads}, "
          f"median of {args.repeats}; outputs identical: yes")
    print(f"{'path':<40}{'tokens/s':>10}{'vs eager':>10}")
    base = median(eager_on)
    for name, v in [("session stream (ours, fused step)", ours),
                    ("eager nn step loop, oneDNN on (default)", eager_on),
                    ("eager nn step loop, oneDNN off", eager_off)]:
        print(f"{name:<40}{median(v):>10,.0f}{median(v) / base:>9.1f}x")
    print(f"bandwidth bound: {bandwidth / 1e9:.1f} GB/s (large copy) / ({params:,} x 4 bytes) "
          f"= {bound:,.0f} tokens/s; ours: {median(ours) / bound:.0%} of it")
    if params * 4 < 8 * 2**20:
        print("  (these weights fit in the CPU cache, so memory bandwidth is not what limits a "
              "token here: per-op overhead is)")


if __name__ == "__main__":
    main()
