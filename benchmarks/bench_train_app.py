"""Training from the app: does the UI stay smooth while a run trains beside it?

The real app on the shipped model, with training mode running `rnn-tui train` in its child
process on every core (--threads 2 by default). For each case: the event loop's lateness (a
ticker asks to wake every 10 ms and records how late it does; a frame at 60 Hz is 16.7 ms) and,
where the writer is on screen, typing into its prompt with the time from a key landing to the
side panel showing that text's candidates. Cases:

    no training           the baseline
    training, writing     the board hidden (its events still read and recorded), typing
    training, board       the board on screen (curves redrawn twice a second), ticker only
    training un-niced     as "writing", with the child at normal priority (the app nices it)

    python benchmarks/bench_train_app.py [--model PATH] [--keys 60] [--seconds 8]
        [--train-threads 2] [--cell lstm --hidden 256 --layers 2 --corpus default]
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time

from _common import held_out_text, median, panel_shows, parser, pct, setup
from _timed_app import TimedApp

from tui import child
from tui.modes.train.board import RunBoard
from tui.modes.write.panel import CandidatePanel

TICK_MS = 10
FRAME_MS = 1000 / 60


async def case(model, text: str, train_args: list[str] | None, niceness: int, board: bool,
               seconds: float) -> dict:
    app = TimedApp(model)
    late: list[float] = []
    steps_per_s = None
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        writer = app.screen  # the timed writing screen (its stack is gone after the test ends)
        screen = None
        if train_args is not None:
            child.NICENESS = niceness
            await app.switch_mode("train")
            screen = app.screen
            screen.start_run(train_args, fresh=True)
            deadline = time.perf_counter() + 120
            run_board = screen.query_one(RunBoard)
            while not run_board.last:  # torch is in and steps are coming
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"the run never started: {run_board.note}")
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # past the first steps' warm-up
            if not board:
                await app.switch_mode("write")
                await pilot.pause()

        running = True

        async def ticker():
            while running:
                t = time.perf_counter()
                await asyncio.sleep(TICK_MS / 1000)
                late.append((time.perf_counter() - t) * 1000 - TICK_MS)

        tick = asyncio.create_task(ticker())
        began = time.perf_counter()
        first_step = screen.query_one(RunBoard).last["step"] if screen else 0
        if board:
            await asyncio.sleep(seconds)
        else:
            panel = app.query_one(CandidatePanel)
            typed = ""
            for ch in text:
                typed += ch
                await pilot.press(ch if ch != " " else "space")
                await panel_shows(panel, typed)
                # The ghost text finishes, as between keys. (Only the key workers: with none,
                # wait_for_complete would wait for every worker, the training run's too.)
                if keys := [w for w in app.workers if w.group == "keys"]:
                    await app.workers.wait_for_complete(keys)
        running = False
        await tick
        if screen is not None:  # the run's pace while we measured
            steps = screen.query_one(RunBoard).last["step"] - first_step
            steps_per_s = steps / (time.perf_counter() - began)
            await screen.finish()
    return {"late": late, "keys": writer.key_to_panel,
            "steps_per_s": steps_per_s}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--keys", type=int, default=60)
    p.add_argument("--seconds", type=float, default=8.0, help="ticker time with the board shown")
    p.add_argument("--train-threads", type=int, default=2)
    p.add_argument("--corpus", default="default")
    p.add_argument("--cell", default="lstm")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    args = p.parse_args()
    model = setup(args)
    text = " ".join(held_out_text(model, 400 + args.keys).split())[200: 200 + args.keys]
    home = tempfile.mkdtemp(prefix="bench-train-app-")
    os.environ["RNN_TUI_HOME"] = home  # the child inherits it: its runs land here
    train = ["--corpus", args.corpus, "--cell", args.cell, "--hidden", str(args.hidden),
             "--layers", str(args.layers), "--threads", str(args.train_threads),
             "--max-minutes", "30", "--eval-every", "100"]

    cases = [("no training", None, 0, False),
             ("training, writing", train, child.NICENESS, False),
             ("training, board on screen", train, child.NICENESS, True),
             ("training un-niced, writing", train, 0, False)]
    results = [(name, asyncio.run(case(model, text, t, nice, board, args.seconds)))
               for name, t, nice, board in cases]

    print(f"writer model: {model.describe()}")
    print(f"training: rnn-tui train {' '.join(train)}  ({os.cpu_count()} CPUs here)")
    print(f"ticker every {TICK_MS} ms; {len(text)} keys typed where the writer is on screen")
    print(f"{'case':<28}{'late p50':>10}{'p95':>8}{'max':>8}{'ticks > frame':>15}"
          f"{'key->panel p50':>16}{'p95':>8}{'train steps/s':>15}")
    for name, r in results:
        late, keys = r["late"], r["keys"]
        stalls = sum(x > FRAME_MS for x in late)
        key_cols = (f"{median(keys):>13.1f} ms{pct(keys, 0.95):>8.1f}" if keys
                    else f"{'-':>16}{'-':>8}")
        tps = f"{r['steps_per_s']:>15.1f}" if r["steps_per_s"] is not None else f"{'-':>15}"
        print(f"{name:<28}{median(late):>7.2f} ms{pct(late, 0.95):>8.1f}{max(late):>8.1f}"
              f"{stalls:>9}/{len(late):<5}{key_cols}{tps}")


if __name__ == "__main__":
    main()
