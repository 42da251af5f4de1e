"""Run every bad-input case through the real CLI and write what the user gets: docs/bad-input.md.

    python scripts/bad_input_matrix.py            # prints the table and rewrites the doc

Each case runs `python -m tui.cli ...` in a scratch folder (its own RNN_TUI_HOME and cache) and
records the command, the first line on stderr and the exit code. A case passes when it exits
non-zero with one readable line and no traceback.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = "--hidden 16 --layers 1 --embed 8 --seq-len 16 --batch-size 4 --threads 1 --eval-every 5"
TEXT = "I am a boy. You are a girl. We are friends. The cat is on the mat.\n" * 40


def setup(tmp: Path) -> dict[str, str]:
    """The files the cases point at."""
    (tmp / "ok.txt").write_text(TEXT)
    (tmp / "empty.txt").write_text("")
    (tmp / "binary.bin").write_bytes(b"\x7fELF\x02\x01\x01\x00" * 64)
    (tmp / "latin1.txt").write_bytes("caf\xe9 au lait\n".encode("latin-1") * 50)
    (tmp / "emptydir").mkdir()
    (tmp / "homefile").write_text("a file where a folder should be")
    (tmp / "random.pt").write_bytes(os.urandom(4096))
    (tmp / "longlines.txt").write_text(("word " * 20_000 + "\n") * 3)
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("the user's own file")
    (tmp / "precious.txt").write_text("the user's own file")
    (tmp / "linked").mkdir()
    (tmp / "linked" / "run.lock").symlink_to(tmp / "precious.txt")
    (tmp / "big.txt").write_text(("The cat sat on the mat and looked at the moon. " * 21_000)[:1_000_000])
    return {"T": TINY, "D": str(tmp)}


CASES = [  # (case, command with {D} and {T} filled in, extra environment, file-size limit)
    ("unknown flag", "train --colour red", {}, None),
    ("NaN learning rate", "train --lr nan", {}, None),
    ("infinite learning rate", "train --lr inf", {}, None),
    ("NaN time budget", "train --max-minutes nan", {}, None),
    ("NaN split", "train --split nan,0.5,0.5", {}, None),
    ("split not summing to 1", "train --split 0.5,0.5,0.5", {}, None),
    ("huge seed", f"train --seed {10**30}", {}, None),
    ("tied weights, wrong sizes", "train --tie-weights --embed 8 --hidden 16", {}, None),
    ("missing corpus", "train --corpus {D}/nope.txt {T}", {}, None),
    ("empty corpus", "train --corpus {D}/empty.txt {T}", {}, None),
    ("binary corpus", "train --corpus {D}/binary.bin {T}", {}, None),
    ("not UTF-8 corpus", "train --corpus {D}/latin1.txt {T}", {}, None),
    ("folder without .txt", "train --corpus {D}/emptydir {T}", {}, None),
    ("home is a file", "train --corpus {D}/ok.txt {T}", {"RNN_TUI_HOME": "{D}/homefile"}, None),
    ("run folder already used", "train --corpus {D}/ok.txt {T} --out {D}/run --steps 3", {}, None),
    ("resume with nothing to resume", "train --resume --out {D}/nothing {T}", {}, None),
    ("full disk during a save", "train --resume --out {D}/run --steps 8", {}, 30_000),
    ("sentencepiece vocab of 2 (warns, trains)", "train --corpus {D}/ok.txt {T} --tokenizer sp "
     "--vocab-size 2 --steps 2 --out {D}/sp2", {}, None),
    ("64 kB lines for sentencepiece (trains)", "train --corpus {D}/longlines.txt {T} --tokenizer sp "
     "--vocab-size 300 --steps 2 --out {D}/long", {}, None),
    ("a model past the size limits", "train --corpus {D}/ok.txt --hidden 100000 --steps 1", {},
     None),
    ("--out holds the user's own files", "train --corpus {D}/ok.txt {T} --out {D}/mine --steps 2",
     {}, None),
    ("run.lock is a link to a file elsewhere", "train --corpus {D}/ok.txt {T} --out {D}/linked "
     "--steps 2", {}, None),
    ("a start that fails (no validation text) leaves no folder",
     "train --corpus {D}/ok.txt {T} --split 1,0,0 --out {D}/fresh", {}, None),
    ("random bytes as a checkpoint", "generate hi --model {D}/random.pt", {}, None),
    ("missing checkpoint", "generate hi --model {D}/nope.pt", {}, None),
    ("infinite temperature", "generate hi --temperature inf", {}, None),
    ("NaN top-p", "generate hi --top-p nan", {}, None),
    ("zero max tokens", "generate hi --max-tokens 0", {}, None),
    ("binary stdin", "generate - < {D}/binary.bin", {}, None),
    ("a 1 MB prompt (reads its last 4,096 tokens; exits 0)",
     "generate - --max-tokens 5 --only-new < {D}/big.txt", {}, None),
    ("an escape sequence in fill's text (--json escapes it; the table prints \ufffd)",
     "fill \"$(printf 'I ___ a \\033]0;owned\\007boy.')\" -k 1 --json | grep -m1 sequence", {},
     None),
    ("fill without a blank", "fill 'I am a boy.'", {}, None),
    ("fill of an empty text", "fill ' '", {}, None),
    ("complete of an empty text", "complete ''", {}, None),
    ("unknown quiz corpus", "eval --corpus klingon", {}, None),
]


def run(command: str, env: dict, limit: int | None, tmp: Path) -> tuple[int, str]:
    def limits():
        if limit:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    full = f"{sys.executable} -m tui.cli {command}"
    proc = subprocess.run(full, shell=True, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "RNN_TUI_HOME": str(tmp / "home"),
                               "XDG_CACHE_HOME": str(tmp / "cache"), **env},
                          preexec_fn=limits, timeout=300)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("Error", "warning"))]
    shown = (errors or lines or [proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""])
    if "Traceback" in proc.stderr:
        shown = ["TRACEBACK: " + lines[-1]]
    return proc.returncode, shown[0]


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bad-input-"))
    try:
        fill = setup(tmp)
        code, message = run(f"train --corpus {tmp}/ok.txt {TINY} --out {tmp}/run --steps 3", {},
                            None, tmp)  # a run for the cases that meet an existing one
        assert code == 0, message
        rows = []
        for case, command, env, limit in CASES:
            command = command.format(**fill)
            env = {k: v.format(**fill) for k, v in env.items()}
            code, message = run(command, env, limit, tmp)
            shown = command.replace(str(tmp), "$TMP").replace(TINY, "$TINY")
            rows.append((case, f"rnn-tui {shown}", message.replace(str(tmp), "$TMP"), code))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table = ["| case | command | what the user reads (first line on stderr) | exit |",
             "|---|---|---|---|"]
    table += [f"| {c} | `{cmd}` | {msg.replace('|', '/')} | {code} |" for c, cmd, msg, code in rows]
    doc = (ROOT / "docs" / "bad-input.md")
    doc.parent.mkdir(exist_ok=True)
    doc.write_text("# Bad input: what the user gets\n\nWritten by `python scripts/bad_input_matrix.py`"
                   " (each case run through the real CLI; `$TINY` is a tiny model's flags, "
                   f"`{TINY}`).\n\n" + "\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))
    bad = [r for r in rows if "TRACEBACK" in r[2]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
