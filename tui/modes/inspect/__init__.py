"""Inspect mode: the learning views (cell lens, gradient through time, memory probe, the
unrolled cell, gate saturation) over the comparison models."""

from .screen import DEFAULT_TEXT, InspectScreen, InspectSetup

__all__ = ["DEFAULT_TEXT", "InspectScreen", "InspectSetup"]
