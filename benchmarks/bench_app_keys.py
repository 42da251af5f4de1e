"""Per-key latency in the real app: from a key press until the side panel shows the candidates
for the new text, against the engine call alone (feed + top words) as the floor.

    python benchmarks/bench_app_keys.py [--model PATH] [--keys 60]
"""

from __future__ import annotations

import asyncio
import time

from _common import held_out_text, median, parser, pct, setup

from tui.app import make_app
from tui.widgets.panel import CandidatePanel


async def measure(model, text: str) -> tuple[list[float], float]:
    app = make_app(model)
    latencies = []
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause(0.5)
        panel = app.query_one(CandidatePanel)
        typed = ""
        for ch in text:
            typed += ch
            t = time.perf_counter()
            await pilot.press(ch if ch != " " else "space")
            while panel.result is None or panel.result.text != typed:
                await asyncio.sleep(0.0005)
            latencies.append((time.perf_counter() - t) * 1000)
            await app.workers.wait_for_complete()  # let the ghost text finish, as between keys
        started = time.perf_counter()
        await pilot.press("x")
        await app.workers.wait_for_complete()
    return latencies, (time.perf_counter() - started) * 1000


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--keys", type=int, default=60)
    args = p.parse_args()
    model = setup(args)
    text = held_out_text(model, 200 + args.keys)[200:]
    latencies, _ = asyncio.run(measure(model, text))

    session = model.session(held_out_text(model, 200))
    engine = []
    for ch in text:
        t = time.perf_counter()
        session.feed(ch)
        session.next_words(8)
        engine.append((time.perf_counter() - t) * 1000)

    print(f"model: {model.describe()}")
    print(f"{len(text)} keys typed into the app (threads={args.threads})")
    print(f"{'path':<46}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'key press -> panel shows that text (app)':<46}{median(latencies):>9.2f}"
          f"{pct(latencies, 0.95):>9.2f}")
    print(f"{'engine alone: feed + top-8 words (floor)':<46}{median(engine):>9.2f}"
          f"{pct(engine, 0.95):>9.2f}")
    print(f"app overhead over the engine (p50): {median(latencies) / median(engine):.1f}x")


if __name__ == "__main__":
    main()
