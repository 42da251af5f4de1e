"""Inference, in layers that each import only from below:

    engine    the per-token path: a trained network stepped one token at a time
    session   the hidden state over a text being typed, kept token by token; streaming
    words     whole-word candidates for the word being typed (a batched beam search)
    blanks    what goes in the box: candidates from the left context, rescored with the right

lm.language_model is the facade over all of them.
"""
