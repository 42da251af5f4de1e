"""How `rnn-tui train` runs beyond the plain loop: under torchrun (`--nproc`), quiet on every rank
but 0, and on the thread count measured fastest when the user did not pick one."""

from __future__ import annotations

import logging
import os
import signal
import sys

import click

import lm


class ThreadsByMeasure:
    """Without --threads: train on the thread count measured fastest now (lm.ThreadChooser).
    All cores win on an idle machine; one thread wins when other work takes a core."""

    def __init__(self, view, quiet: bool):
        self.view, self.quiet = view, quiet
        self.chooser = lm.ThreadChooser(lm.get_threads())
        lm.set_threads(self.chooser.trying or self.chooser.cores)  # the first count it times
        self.settled = lm.get_threads()

    def __call__(self, event) -> None:
        if isinstance(event, lm.Progress):
            threads = self.chooser.observe(event)
            if threads:
                lm.set_threads(threads)
            if not self.chooser.trying and self.chooser.chosen != self.settled:
                self.settled = self.chooser.chosen
                lm.set_threads(self.settled)
                if not self.quiet:
                    r = self.chooser.rates
                    click.echo(f"\ntraining on {self.settled} thread(s): measured {r[1]:.2f} "
                               f"steps/s on 1, {r[self.chooser.cores]:.2f} on "
                               f"{self.chooser.cores}", err=True)
        elif isinstance(event, (lm.Evaluated, lm.Sampled, lm.Saved)):
            self.chooser.interrupt()
        self.view(event)


class Quiet:
    """The view of a rank other than 0: it trains and says nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, event) -> None:
        pass


def torchrun(nproc: int) -> int:
    """This same command under torchrun on this machine (without --nproc), launched in this
    process so a failed worker ends as one line, not torchrun's traceback."""
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import get_args_parser, run

    args, skip = [], False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a == "--nproc":
            skip = True
        elif not a.startswith("--nproc="):
            args.append(a)
    launch = ["--standalone", f"--nproc-per-node={nproc}", "-m", "tui.cli", *args]
    # torchrun would set 1 thread per process and warn; the train command sets its own share.
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, lm.available_cores() // nproc)))
    click.echo("running: torchrun " + " ".join(launch), err=True)
    for name in list(logging.root.manager.loggerDict):  # its log lines repeat ours
        if name.startswith("torch.distributed.elastic"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        run(get_args_parser().parse_args(launch))
    except ChildFailedError as e:
        rank, failure = e.get_first_failure()
        click.echo(f"Error: training stopped: rank {rank} {_ended(failure.exitcode)}", err=True)
        return 1
    return 0


def _ended(exitcode: int) -> str:
    if exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"ended with exit code {exitcode}"
