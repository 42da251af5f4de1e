"""The memory lab from the app: does writing stay quick while the lab trains beside it?

The real app on the shipped model. In the "lab training" case, F7's memory lab runs its three
cells in its child process (`rnn-tui inspect --report memory --events jsonl`, niced, one
thread) while keys are typed into the writer; the baseline types the same keys with nothing
else running. For each: the time from a key landing to the side panel showing that text's
candidates (p50, p95: the goal is p95 <= 50 ms), and the event loop's lateness (a ticker asks to
wake every 10 ms; a frame at 60 Hz is 16.7 ms).

    python benchmarks/bench_lab_app.py [--model PATH] [--keys 60]
"""

from __future__ import annotations

import asyncio
import time

from _common import held_out_text, median, panel_shows, parser, pct, setup
from _timed_app import TimedApp

from tui.modes.inspect.lab import LabView
from tui.modes.write.panel import CandidatePanel

TICK_MS = 10
FRAME_MS = 1000 / 60


async def case(model, text: str, lab: bool) -> dict:
    app = TimedApp(model)
    late: list[float] = []
    steps = None
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        writer = app.screen  # the timed writing screen (its stack is gone after the test ends)
        inspect = None
        if lab:
            await app.switch_mode("inspect")
            inspect = app.screen
            inspect.action_view("lab")
            await pilot.pause()
            inspect.action_lab()
            status = inspect.query_one(LabView).query_one("#lab-status")
            deadline = time.perf_counter() + 120
            while "training" not in status.content.plain:  # torch is in, steps are coming
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"the lab never started: {status.content.plain}")
                await asyncio.sleep(0.05)
            await app.switch_mode("write")
            await pilot.pause()
        running = True

        async def ticker():
            while running:
                t = time.perf_counter()
                await asyncio.sleep(TICK_MS / 1000)
                late.append((time.perf_counter() - t) * 1000 - TICK_MS)

        tick = asyncio.create_task(ticker())
        panel = app.query_one(CandidatePanel)
        typed = ""
        for ch in text:
            typed += ch
            await pilot.press(ch if ch != " " else "space")
            await panel_shows(panel, typed)
            if keys := [w for w in app.workers if w.group == "keys"]:
                await app.workers.wait_for_complete(keys)
        running = False
        await tick
        if inspect is not None:
            status = inspect.query_one(LabView).query_one("#lab-status").content.plain
            steps = status  # where the lab was when the typing ended
            await inspect.finish()
    return {"late": late, "keys": writer.key_to_panel,
            "lab": steps}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--keys", type=int, default=60)
    args = p.parse_args()
    model = setup(args)
    text = " ".join(held_out_text(model, 400 + args.keys).split())[200: 200 + args.keys]
    results = [(name, asyncio.run(case(model, text, lab)))
               for name, lab in (("nothing else", False), ("lab training", True))]
    print(f"writer model: {model.describe()}")
    print(f"{len(text)} keys typed; ticker every {TICK_MS} ms")
    print(f"{'case':<16}{'key->panel p50':>16}{'p95':>8}{'late p50':>10}{'p95':>8}"
          f"{'ticks > frame':>15}")
    for name, r in results:
        late, keys = r["late"], r["keys"]
        stalls = sum(x > FRAME_MS for x in late)
        print(f"{name:<16}{median(keys):>13.1f} ms{pct(keys, 0.95):>8.1f}"
              f"{median(late):>7.2f} ms{pct(late, 0.95):>8.1f}{stalls:>9}/{len(late)}")
        if r["lab"]:
            print(f"  the lab when the typing ended: {r['lab']}")
    base, lab = (r["keys"] for _, r in results)
    print(f"key->panel p95 with the lab over without: {pct(lab, 0.95) / pct(base, 0.95):.2f}x")


if __name__ == "__main__":
    main()
