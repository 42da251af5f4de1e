"""Per-key latency in the real app: from a key press until the side panel shows the candidates
for the new text, against the engine call alone (feed + top words) as the floor.

    python benchmarks/bench_app_keys.py [--model PATH] [--keys 60]
"""

from __future__ import annotations

import asyncio
import time

from _common import held_out_text, median, panel_shows, parser, pct, setup
from _timed_app import TimedApp

from tui.modes.write.panel import CandidatePanel


async def measure(model, text: str) -> tuple[list[float], list[float]]:
    latencies: list[float] = []
    app = TimedApp(model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause(0.5)
        writer = app.screen
        panel = app.query_one(CandidatePanel)
        typed = ""
        for ch in text:
            typed += ch
            t = time.perf_counter()
            await pilot.press(ch if ch != " " else "space")
            await panel_shows(panel, typed)
            latencies.append((time.perf_counter() - t) * 1000)
            await app.workers.wait_for_complete()  # let the ghost text finish, as between keys
    return latencies, writer.key_to_panel


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--keys", type=int, default=60)
    args = p.parse_args()
    model = setup(args)
    # One line: Enter would send the text as a chat turn.
    text = " ".join(held_out_text(model, 400 + args.keys).split())[200 : 200 + args.keys]
    latencies, inside = asyncio.run(measure(model, text))

    session = model.session("")
    engine = []
    for ch in text:
        t = time.perf_counter()
        session.feed(ch)
        model.next_words(session, 8)
        engine.append((time.perf_counter() - t) * 1000)

    print(f"model: {model.describe()}")
    print(f"{len(text)} keys typed into the app (threads={args.threads})")
    print(f"{'path':<46}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'input changed -> panel updated (in the app)':<46}{median(inside):>9.2f}"
          f"{pct(inside, 0.95):>9.2f}")
    print(f"{'pilot key press -> panel (incl. test pilot)':<46}{median(latencies):>9.2f}"
          f"{pct(latencies, 0.95):>9.2f}")
    print(f"{'engine alone: feed + top-8 words (floor)':<46}{median(engine):>9.2f}"
          f"{pct(engine, 0.95):>9.2f}")
    print(f"in-app latency over the engine alone (p50): {median(inside) / median(engine):.1f}x")


if __name__ == "__main__":
    main()
