"""Quiz mode: what goes in the box? you against the model."""

from .screen import QuizScreen, QuizSetup

__all__ = ["QuizScreen", "QuizSetup"]
