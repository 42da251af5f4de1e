"""The command palette's own entries (Ctrl+P): the modes, and every model there is to switch to."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

import lm

from .tables import model_line


class AppCommands(Provider):
    """Ctrl+P lists the app's own commands before you type (discover), and filters them as you
    do (search)."""

    def commands(self) -> list[tuple[str, object, str]]:
        """(label, action, help) for each command; the subclasses list theirs."""
        return []

    async def discover(self) -> Hits:
        for label, action, help in self.commands():
            yield DiscoveryHit(label, action, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action, help in self.commands():
            if (score := matcher.match(label)) > 0:
                yield Hit(score, matcher.highlight(label), action, help=help)


class ModelCommands(AppCommands):
    """Switch to the shipped model or one you trained."""

    def commands(self):
        paths = [lm.shipped_model_path()] if lm.shipped_model_path().is_file() else []
        paths += lm.list_runs()
        return [(f"switch model: {'shipped default' if p == lm.shipped_model_path() else p.name}",
                 partial(self.app.switch_model, p), model_line(p)) for p in paths]


class ModeCommands(AppCommands):
    """The app's modes, as they introduce themselves."""

    def commands(self):
        return [(f"mode: {name}", partial(self.app.open_mode, name), screen.MODE.about)
                for name, screen in self.app.MODES.items()]
