"""The `rnn-tui` console script. With no command (at most --model PATH) on a terminal it opens the
app straight away, before torch is imported, and the app loads the model in a worker; everything
else goes to the click CLI."""

from __future__ import annotations

import sys
from pathlib import Path


def _app_model(args: list[str]) -> tuple[bool, str | None]:
    """(whether these arguments just open the app, and the --model they name)."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--model":
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--model="):
        return True, args[0].split("=", 1)[1]
    return False, None


def main() -> None:
    opens_app, model = _app_model(sys.argv[1:])
    if opens_app and sys.stdin.isatty() and sys.stdout.isatty():
        if model is not None and not Path(model).exists():
            print(f"Error: {model}: no such file", file=sys.stderr)
            sys.exit(1)
        from .app import make_app

        app = make_app(model_path=Path(model) if model else None)
        app.run()
        sys.exit(app.return_code or 0)
    from .cli import main as cli_main

    cli_main()
