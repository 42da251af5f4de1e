"""What the learning views measure: the hidden state and gates over a text, the units that track
a feature, gate saturation, the gradient through time and the memory probe ("I ___ a boy").

UI-free: the app draws these, `rnn-tui inspect --report` prints them, and scripts can call them.
"""

from .features import PRESETS, UnitScore, feature_mask, rank_units
from .gradient import GradientCurve, gradient_through_time
from .models import COMPARE_CELLS, comparison_paths, load_comparison, untrained
from .probe import ProbeItem, ProbeRow, horizon, model_scorer, probe_items, run_probe
from .saturation import saturation
from .trace import Channel, TextTrace, trace_text
from .unroll import Unrolled, unroll

__all__ = [
    "COMPARE_CELLS", "Channel", "GradientCurve", "PRESETS", "ProbeItem", "ProbeRow",
    "TextTrace", "UnitScore", "Unrolled", "comparison_paths", "feature_mask",
    "gradient_through_time", "horizon", "load_comparison", "model_scorer", "probe_items",
    "rank_units", "run_probe", "saturation", "trace_text", "unroll", "untrained",
]
