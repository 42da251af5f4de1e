"""Nothing a model or a user wrote reaches the terminal as a control sequence."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, strategies as st

from tui.cli import cli
from tui.terminal_text import one_line, safe


@given(st.text())
def test_safe_text_holds_no_control_character_but_tab_and_newline(text):
    out = safe(text)
    assert len(out) == len(text)
    assert all(c in "\t\n" or not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) for c in out)
    assert "\n" not in one_line(text) and "\t" not in one_line(text)


def test_fill_and_generate_print_an_escape_as_a_replacement_character(tiny_model_dir):
    hostile = "I \x1b]0;owned\x07am a ___.\x1b[2J"
    for args in (["fill", hostile], ["generate", hostile, "--max-tokens", "3"],
                 ["complete", hostile]):
        result = CliRunner().invoke(cli, [*args, "--model", str(tiny_model_dir)])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "\ufffd" in result.output or args[0] == "complete"  # complete shows repr()
