"""What the learning views measure: the hidden state and gates over a text, the units that track
a feature, gate saturation, the gradient through time, the memory probe ("I ___ a boy") and the
memory lab (three cells trained live on an exact agreement task).

UI-free: the app draws these, `rnn-tui inspect --report` prints them, and scripts can call them.
"""

from .features import PRESETS, UnitScore, feature_mask, rank_units
from .gradient import GradientCurve, gradient_through_time
from .memory import (CellCurve, CellResult, LabConfig, LabProgress, LabResult, gap_horizon,
                     run_lab)
from .models import COMPARE_CELLS, comparison_paths, load_comparison, untrained
from .probe import ProbeItem, ProbeRow, horizon, model_scorer, probe_items, run_probe
from .saturation import saturation
from .trace import Channel, TextTrace, trace_text
from .unroll import Unrolled, unroll

__all__ = [
    "COMPARE_CELLS", "CellCurve", "CellResult", "Channel", "GradientCurve", "LabConfig",
    "LabProgress", "LabResult", "PRESETS", "ProbeItem", "ProbeRow", "TextTrace",
    "UnitScore", "Unrolled", "comparison_paths", "feature_mask", "gap_horizon",
    "gradient_through_time", "horizon", "load_comparison", "model_scorer", "probe_items",
    "rank_units", "run_lab", "run_probe", "saturation", "trace_text", "unroll", "untrained",
]
