"""Errors caused by what a user gave us: the CLI prints them as one line, never a traceback."""


class LMError(Exception):
    """A problem with the user's input (a file, a flag, a corpus)."""


class CorpusError(LMError):
    """A corpus that is missing, empty, binary or not UTF-8."""


class CheckpointError(LMError):
    """A file that is not a usable rnn-tui checkpoint."""
