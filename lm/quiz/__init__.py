"""The quiz: "what goes in the box?" on sentences the model never trained on.

    sources    where questions come from, and the model's rating of each
    fits       which other words fit a blank cut from a corpus sentence
    round      a round in play: you against the model
    history    finished rounds, one JSON line each
    scorecard  the model takes the whole quiz alone (`rnn-tui eval`)
"""

from .sources import (BLANK, CATEGORIES, QuizItem, blank_set_items, corpora_for, items, normalise,
                      pool, rate, training_corpus, warm)
from .fits import RULE as FITS_RULE
from .round import Answer, Round

__all__ = ["BLANK", "CATEGORIES", "FITS_RULE", "Answer", "QuizItem", "Round", "blank_set_items",
           "corpora_for", "items", "normalise", "pool", "rate", "training_corpus", "warm"]
