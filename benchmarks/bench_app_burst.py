"""Typing at 200 keys/s into the real app: does the UI stay smooth, and does the panel end on the
final text? Against a plain baseline in the same run: the same app asking the model inside the
key handler, on the UI thread, as a naive app would.

Smoothness is the event loop's lateness: a 5 ms ticker runs beside the keys and records how late
each tick wakes; a frame at 60 Hz is 16.7 ms, so ticks later than that are visible stalls.

    python benchmarks/bench_app_burst.py [--model PATH] [--keys 200] [--rate 200]
"""

from __future__ import annotations

import asyncio
import time

from textual import events

from _common import held_out_text, median, panel_shows, parser, pct, setup

from tui.app import RnnTuiApp
from tui.modes.write import WriteScreen
from tui.modes.write.panel import CandidatePanel
from tui.modes.write.writer import PanelView

FRAME_MS = 1000 / 60


class NaiveWrite(WriteScreen):
    """The baseline: the panel's candidates computed in the key handler, blocking the UI."""

    def on_input_changed(self, event) -> None:
        event.prevent_default()  # not the real screen's worker as well
        if event.input.id == "prompt" and self.writer is not None and event.value:
            self.query_one(CandidatePanel).show(self.writer.candidates(event.value))


class NaiveApp(RnnTuiApp):
    MODES = {**RnnTuiApp.MODES, "write": NaiveWrite}


async def burst(app_class, model, text: str, rate: float) -> dict:
    app = app_class(model)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause(0.3)
        panel = app.query_one(CandidatePanel)
        late: list[float] = []
        running = True

        async def ticker():
            while running:
                t = time.perf_counter()
                await asyncio.sleep(0.005)
                late.append((time.perf_counter() - t) * 1000 - 5)

        tick = asyncio.create_task(ticker())
        shown: set[str] = set()
        original_show = panel.show

        def show(result):
            if result is not None:
                shown.add(result.text)
            original_show(result)

        panel.show = show
        start = time.perf_counter()
        for n, ch in enumerate(text, 1):
            key = "space" if ch == " " else ch
            app._driver.send_message(events.Key(key, ch))
            # Keys arrive on a clock, whether or not the app has caught up (as from a terminal).
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        sent = time.perf_counter()
        await panel_shows(panel, text, timeout=30, poll=0.001)
        settled = time.perf_counter()
        running = False
        await tick
        final = [c.token_str for c in panel.result.candidates]
        await app.workers.wait_for_complete()
    return {"rate": len(text) / (sent - start), "late": late,
            "settle_ms": (settled - sent) * 1000, "shown": len(shown), "final": final}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--keys", type=int, default=200)
    p.add_argument("--rate", type=float, default=200.0, help="keys per second")
    args = p.parse_args()
    model = setup(args)
    text = " ".join(held_out_text(model, 600 + args.keys).split())[200 : 200 + args.keys]

    ours = asyncio.run(burst(RnnTuiApp, model, text, args.rate))
    naive = asyncio.run(burst(NaiveApp, model, text, args.rate))
    expected = [c.token_str for c in PanelView(text, model.next_words(text, 8)).candidates]
    assert ours["final"] == expected, "the panel does not show the engine's top-k for the text"

    print(f"model: {model.describe()}")
    print(f"{args.keys} keys sent at {args.rate:.0f} keys/s (threads={args.threads}); "
          f"the panel ended on the final text with the engine's own top-k: yes")
    print(f"{'app':<36}{'keys/s':>8}{'tick late p50':>15}{'p99':>8}{'max':>9}"
          f"{'ticks > 1 frame':>17}{'last key -> panel':>19}{'panels shown':>14}")
    for name, r in (("ours (thread workers, cancelled)", ours),
                    ("naive (model in the key handler)", naive)):
        stalls = sum(x > FRAME_MS for x in r["late"])
        print(f"{name:<36}{r['rate']:>8.0f}{median(r['late']):>12.2f} ms{pct(r['late'], 0.99):>8.1f}"
              f"{max(r['late']):>9.1f}{stalls:>11}/{len(r['late']):<5}{r['settle_ms']:>16.0f} ms"
              f"{r['shown']:>14}")
    print(f"worst UI stall: ours {max(ours['late']):.1f} ms vs naive {max(naive['late']):.1f} ms "
          f"({max(naive['late']) / max(max(ours['late']), 0.1):.1f}x)")


if __name__ == "__main__":
    main()
