"""F1: what the keys do in every mode, and what the numbers mean. The key tables are read from
the app's and the modes' bindings (and the input's), so the help cannot disagree with them;
the prose under each mode is its screen's `HELP`."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

INTRO = """\
# rnn-tui

Type, and a recurrent language model reads along one character (or subword) at a time,
carrying its **hidden state** from step to step with one set of weights shared by every step.
"""
NAMES = {"escape": "Esc", "pageup": "PageUp", "pagedown": "PageDown", "up": "↑", "down": "↓",
         "left": "←", "right": "→", "enter": "Enter", "tab": "Tab", "slash": "/", "comma": ",",
         "full_stop": ".", "left_square_bracket": "[", "right_square_bracket": "]"}


def key_name(key: str) -> str:
    """`ctrl+home` -> Ctrl+Home, `f5` -> F5, `escape` -> Esc; a letter stays as typed."""
    return "+".join(NAMES.get(part, part.capitalize() if len(part) > 1 else part)
                    for part in key.split("+"))


def key_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, what) for each binding that says what it does; the keys one action answers to
    are listed together."""
    rows: dict[str, list[str]] = {}
    for b in bindings:
        what = b.tooltip or b.description
        if not what:
            continue
        keys = rows.setdefault(what, [])
        shown = b.key_display or " / ".join(key_name(k.strip()) for k in b.key.split(","))
        if shown not in keys:
            keys.append(shown)
    return [(" / ".join(keys), what) for what, keys in rows.items()]


def table(rows: list[tuple[str, str]]) -> str:
    return "| key | what it does |\n|---|---|\n" + "".join(
        f"| {k} | {w.replace('|', '/')} |\n" for k, w in rows)


def help_text(app: App, modes: dict) -> str:
    parts = [INTRO, "\n## Everywhere\n\n", table(key_rows(app.BINDINGS) + [
        ("Ctrl+P", "command palette: switch model or mode")])]
    for screen in modes.values():
        mode = screen.MODE
        parts.append(f"\n## {mode.title.capitalize()} ({key_name(mode.key)})\n\n"
                     f"{mode.about[0].upper()}{mode.about[1:]}.\n")
        bindings = [b for widget in (*getattr(screen, "HELP_WIDGETS", ()), screen)
                    for b in widget.BINDINGS]
        if rows := key_rows(bindings):
            parts.append("\n" + table(rows))
        if prose := getattr(screen, "HELP", ""):
            parts.append("\n" + prose.strip() + "\n")
    return "".join(parts)


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "close")]

    def __init__(self, app: App):
        super().__init__()
        self.text = help_text(app, app.MODES)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(self.text)
