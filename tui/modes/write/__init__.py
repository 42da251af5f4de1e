"""Writing mode: the transcript, the input with its ghost text, the candidate panel.

    writer      Writer, Chat, PanelView: the model's side, no widgets
    prompt      Prompt: the input (ghost text, blanks, Alt+digit picks)
    panel       CandidatePanel: the likeliest words, or a blank's candidates
    transcript  Transcript: the conversation
    status      StatusLine: which model, how it samples, how fast
    screen      WriteScreen: the five together
"""

from .screen import WriteScreen

__all__ = ["WriteScreen"]
