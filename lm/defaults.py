"""The few names and defaults that several layers share, in one torch-free place: the CLI's
flags, the app's forms and the library all read them from here."""

from __future__ import annotations

CELL_NAMES = ("rnn", "lstm", "gru")  # the registry in lm.cells, for callers that must not load torch
# The tokenizer kinds in lm.tokenizers.KINDS, with what the flags and the form call them.
TOKENIZER_KINDS = {"char": "char", "sp": "sp (subwords)"}
CORPUS = ("default",)  # what a run trains on, and what a quiz draws from, when nothing is named
SPLIT = (0.9, 0.05, 0.05)  # train / validation / test fractions
# The largest model a config may ask for: past these a typo (--hidden 100000) would ask for
# hundreds of gigabytes before anything could say so.
MODEL_LIMITS = {"vocab_size": 1 << 20, "embed": 8192, "hidden": 8192, "layers": 16}
