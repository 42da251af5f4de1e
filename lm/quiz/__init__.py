"""The quiz: "what goes in the box?" on sentences the model never trained on.

    sources    where questions come from, and the model's rating of each
    round      a round in play: you against the model
    history    finished rounds, one JSON line each
    scorecard  the model takes the whole quiz alone (`rnn-tui eval`)
"""

from .sources import (BLANK, CATEGORIES, QuizItem, blank_set_items, items, normalise, pool, rate,
                    training_corpus)
from .round import Answer, Round

__all__ = ["BLANK", "CATEGORIES", "Answer", "QuizItem", "Round", "blank_set_items", "items",
           "normalise", "pool", "rate", "training_corpus"]
