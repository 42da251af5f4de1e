"""The Textual app: it routes between the modes (tui.modes, Textual's MODES), loads the model and
holds the settings. Each mode is a screen of its own; they reach the app by messages (tui.mode)
and read its model, settings and the text last written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

import lm

from .mode import GoHome, UseModel, Wrote
from .modes import HOME, MODES
from .palette import ModeCommands, ModelCommands
from .screens.help import HelpScreen
from .screens.settings import SettingsScreen
from .settings import Settings, load_settings, save_settings


class RnnTuiApp(App):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it
    TITLE = "rnn-tui"
    COMMANDS = App.COMMANDS | {ModelCommands, ModeCommands}
    MODES = MODES
    DEFAULT_MODE = HOME
    # Under 90 columns the panel goes below the input, so the text keeps the width (app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "help"),
        *(Binding(screen.MODE.key, f"mode('{name}')", screen.MODE.title, tooltip=f"{screen.MODE.title} mode: {screen.MODE.about}")
          for name, screen in MODES.items()),
        Binding("ctrl+q", "quit", "quit"),
    ]

    model: reactive[lm.LanguageModel | None] = reactive(None, init=False)
    settings: reactive[Settings] = reactive(Settings, init=False, always_update=True)
    loading: reactive[str] = reactive("", init=False)  # what is loading, for the status line

    def __init__(self, model: lm.LanguageModel | None = None, settings: Settings | None = None,
                 save_dir: Path | None = None, model_path: Path | None = None,
                 mode: str = HOME, setup: object | None = None):
        super().__init__()
        # Settings saved by an earlier run, unless the caller gives its own; a bad file is one
        # warning (shown once the screen is up) and the defaults.
        self.settings_warning = None
        if settings is None:
            settings, self.settings_warning = load_settings()
        self.set_reactive(RnnTuiApp.settings, settings)
        self.set_reactive(RnnTuiApp.model, model)
        self.model_path = model_path
        self.save_dir = save_dir or lm.data_dir() / "transcripts"
        self.opening, self.setups = mode, {mode: setup}
        self.written = ""  # the text last written, for the cell lens

    def setup_for(self, mode: str) -> object | None:
        """What the command line asked of a mode (`rnn-tui quiz --n 5`), or None."""
        return self.setups.get(mode)

    def on_mount(self) -> None:
        if self.settings_warning:
            self.notify(self.settings_warning, severity="warning", timeout=10)
        if self.model is None:  # the first frame is drawn at once; the model loads in a worker
            self.loading = "loading model…"
            self.load_model(self.model_path)
        if self.opening != HOME:
            self.action_mode(self.opening)

    # --- modes ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The footer offers the other modes, not the one you are in.
        return not (action == "mode" and parameters == (self.current_mode,))

    def action_mode(self, name: str) -> None:
        self.open_mode(name)

    def open_mode(self, name: str) -> None:
        if MODES[name].MODE.needs_model and self.model is None:
            self.notify("the model is still loading")
            return
        self.switch_mode(name)
        self.refresh_bindings()

    def on_go_home(self, message: GoHome) -> None:
        self.switch_mode(HOME)

    def on_wrote(self, message: Wrote) -> None:
        self.written = message.text

    def on_use_model(self, message: UseModel) -> None:
        self.switch_model(message.path)

    async def action_quit(self) -> None:
        # A mode with work to finish (a training run saves) finishes it before the app goes.
        for name in MODES:
            try:
                stack = self.get_screen_stack(name)
            except KeyError:  # never opened
                continue
            for screen in stack:
                if finish := getattr(screen, "finish", None):
                    await finish()
        self.exit()

    # --- settings and help -------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self))

    def action_settings(self) -> None:
        def apply(settings: Settings | None) -> None:
            if settings is not None:
                self.settings = settings
                self.keep_settings()

        self.push_screen(SettingsScreen(self.settings), apply)

    def action_temperature(self, step: float) -> None:
        s = self.settings
        t = round(min(lm.MAX_TEMPERATURE, max(0.0, s.sampling.temperature + step)), 2)
        self.settings = replace(s, sampling=replace(s.sampling, temperature=t))
        self.keep_settings()

    def keep_settings(self) -> None:
        """Save the settings for the next run; a failure is a notice, the app goes on."""
        if error := save_settings(self.settings):
            self.notify(error, severity="warning")

    # --- the model -------------------------------------------------------------------------

    def switch_model(self, path: Path) -> None:
        self.loading = f"loading {path.name}…"
        self.load_model(path)

    @work(thread=True, exclusive=True, group="model")
    def load_model(self, path: Path | None) -> None:
        first = self.model is None
        try:
            lm.set_threads(1)  # token-at-a-time work: see lm.hardware.set_threads
            model = lm.load(path)
            model.engine  # build the per-token path here, not on the first key
            model.lexicon  # and read the training text's words (a quarter second on default)
        except lm.LMError as e:
            if first:  # nothing to fall back on: leave with the reason
                self.call_from_thread(self.exit, None, 1, f"Error: {e}")
            else:
                self.call_from_thread(self._loaded, None, str(e))
            return
        self.call_from_thread(self._loaded, model)

    def _loaded(self, model: lm.LanguageModel | None, error: str = "") -> None:
        self.loading = ""
        if error:
            self.notify(error, severity="error")
        if model is not None:
            self.model = model


def make_app(model: lm.LanguageModel | None = None, settings: Settings | None = None,
             save_dir: Path | None = None, model_path: Path | None = None,
             mode: str = HOME, setup: object | None = None) -> RnnTuiApp:
    """The app around a loaded model (tests pass a tiny one), or one it loads itself from
    `model_path` (None: the shipped model) after its first frame. It opens in `mode` (a key of
    tui.modes.MODES), which reads `setup` (a QuizSetup, an InspectSetup, a TrainingSetup)."""
    return RnnTuiApp(model, settings, save_dir, model_path, mode, setup)
