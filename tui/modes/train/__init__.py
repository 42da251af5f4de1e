"""Training mode (F8, `rnn-tui train --app`): a form that starts `rnn-tui train` in a child
process, a board of its live curves and samples, and a comparison of your runs.

    form      TrainForm, TrainingSetup: the flags, checked as the CLI checks them
    series    Series: a curve in bounded memory
    board     RunBoard: the live curves, sparklines and samples
    compare   CompareView: validation curves of two or three runs on one chart
    screen    TrainingScreen: the three together
"""

from .form import TrainingSetup
from .screen import TrainingScreen

__all__ = ["TrainingScreen", "TrainingSetup"]
