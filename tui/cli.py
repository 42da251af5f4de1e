"""The `rnn-tui` command. Every user mistake ends as one line on stderr and a non-zero exit."""

from __future__ import annotations

import json
import sys
import warnings

import click

import corpora as registry
import lm

from .click_style import CONTEXT
from .terminal_text import safe
from .inspect_command import inspect
from .train_command import train


def _one_line_warnings(message, category, filename, lineno, file=None, line=None):
    click.echo(f"warning: {message}", err=True)


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(package_name="rnn-tui")
@click.option("--model", "model_path", type=click.Path(), default=None,
              help="Checkpoint file or run folder for the app [default: the shipped model].")
@click.pass_context
def cli(ctx: click.Context, model_path: str | None) -> None:
    """Train, sample and play with recurrent language models (RNN, LSTM, GRU).

    With no command, opens the writing app on the shipped model (or --model).
    """
    if ctx.invoked_subcommand is not None:
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(ctx.get_help())  # not a terminal: nothing to draw on
        return
    model = _load(model_path)
    from .app import make_app

    make_app(model).run()


cli.add_command(train)
cli.add_command(inspect)


@cli.command(context_settings=CONTEXT)
@click.argument("prompt")
@click.option("--model", "model_path", type=click.Path(), default=None,
              help="Checkpoint file or run folder [default: the shipped model].")
@click.option("--max-tokens", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--temperature", type=click.FloatRange(min=0), default=0.8, show_default=True,
              help="0 is greedy; higher is more surprising.")
@click.option("--top-k", type=click.IntRange(min=0), default=0, show_default=True,
              help="Sample among the k likeliest tokens (0: all).")
@click.option("--top-p", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
              help="Sample among the likeliest tokens holding this much probability.")
@click.option("--seed", type=int, default=None, help="Make sampling repeatable.")
@click.option("--stop", multiple=True, help="End generation at this string (repeatable).")
@click.option("--only-new", is_flag=True, help="Print the continuation without the prompt.")
def generate(prompt, model_path, max_tokens, temperature, top_k, top_p, seed, stop, only_new):
    """Continue PROMPT (use - to read it from stdin), streaming tokens as they come."""
    try:
        sampling = lm.Sampling(temperature=temperature, top_k=top_k, top_p=top_p,
                               max_tokens=max_tokens, stop=stop, seed=seed)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    if prompt == "-":
        prompt = lm.decode_text(sys.stdin.buffer.read(), "stdin")
    model = _load(model_path)
    out = sys.stdout
    if not only_new:
        out.write(safe(prompt))
        out.flush()
    for piece in model.generate(prompt, sampling):
        out.write(safe(piece))  # a model's piece is never a terminal command
        out.flush()
    out.write("\n")


@cli.command(context_settings=CONTEXT)
def corpora() -> None:
    """List the bundled corpora (usable as --corpus NAME)."""
    from rich.console import Console

    from .tables import corpora_table

    console = Console()
    console.print(corpora_table(registry.manifest(), wide=console.width >= 140))


@cli.command(context_settings=CONTEXT)
def models() -> None:
    """List the shipped model and the models you trained (newest first)."""
    from rich.console import Console

    from .tables import models_lines, models_table

    paths = [lm.shipped_model_path()] if lm.shipped_model_path().is_file() else []
    paths += lm.list_runs()
    if not paths:
        click.echo(f"no models yet: train one with `rnn-tui train` (runs go to {lm.models_dir()})")
        return
    console = Console()
    if console.is_terminal and console.width >= 160:
        console.print(models_table(paths))
        return
    for line in models_lines(paths):  # narrow or piped: a line each, never cut
        console.print(line, soft_wrap=True)


MODEL_OPTION = click.option("--model", "model_path", type=click.Path(), default=None,
                            help="Checkpoint file or run folder [default: the shipped model].")


@cli.command(context_settings=CONTEXT)
@click.argument("text")
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--left-only", is_flag=True, help="Rank by the left context alone, for comparison.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@MODEL_OPTION
def fill(text, k, left_only, as_json, model_path):
    """What goes in the box? Candidates for each ___, (BOX) or [BOX] in TEXT."""
    model = _load(model_path)
    per_blank = model.fill(text, k=k, left_only=left_only)
    if as_json:
        click.echo(json.dumps([[c.to_dict() for c in ranked] for ranked in per_blank],
                              ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from .tables import candidates_table

    context = "left context only" if left_only else "left and right context"
    for n, ranked in enumerate(per_blank, 1):
        rows = [(c.token_str, c.score, c.sequence) for c in ranked]
        title = f"blank {n} of {len(per_blank)} ({context})" if len(per_blank) > 1 else context
        Console().print(candidates_table(rows, title))


@cli.command(context_settings=CONTEXT)
@click.argument("text")
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@MODEL_OPTION
def complete(text, k, as_json, model_path):
    """Complete the word being typed at the end of TEXT (or the next word after a space)."""
    if not text.strip():
        raise click.UsageError("TEXT is empty: give the start of a sentence, like 'The ki'")
    model = _load(model_path)
    words = model.next_words(text, k)
    if as_json:
        click.echo(json.dumps([w.to_dict() for w in words], ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from .tables import candidates_table

    Console().print(candidates_table([(w.token_str, w.score, None) for w in words],
                                     f"after {_tail(text)!r}"))


@cli.command(context_settings=CONTEXT)
@click.argument("sentences", nargs=-1, required=True)
@click.option("--ngram", "with_ngram", is_flag=True,
              help="Also score with the word n-gram counted from the model's training text.")
@click.option("--beyond", is_flag=True,
              help="Word by word: the network's bits, the network's when it reads only the "
                   "n-gram's window, and the n-gram's: what the hidden state adds over counting.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@MODEL_OPTION
def score(sentences, with_ngram, beyond, as_json, model_path):
    """How likely is each SENTENCE? Its log-probability, bits per character and every token's
    surprisal; given several, which one the model finds likelier ("which is English?")."""
    if any(not s.strip() for s in sentences):
        raise click.UsageError("a SENTENCE is empty: give the text to score")
    model = _load(model_path)
    if beyond:
        _score_beyond(model, sentences, as_json)
        return
    scores = [model.logprob(s) for s in sentences]
    counted = model.ngram() if with_ngram else None
    ngram = [counted.logprob(s) for s in sentences] if counted else None
    if as_json:
        rows = [s.to_dict() | ({"ngram_logprob": ngram[i]} if ngram else {})
                for i, s in enumerate(scores)]
        best = max(range(len(scores)), key=lambda i: scores[i].logprob)
        click.echo(json.dumps({"model": model.name, "sentences": rows, "likeliest": best,
                               **({"ngram_likeliest": max(range(len(ngram)), key=ngram.__getitem__)}
                                  if ngram else {})}, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from .score_view import render

    Console().print(render(scores, ngram))


def _score_beyond(model, sentences, as_json: bool) -> None:
    from lm.inspect.beyond import over_counting

    rows = {s: over_counting(model, s) for s in sentences}
    if as_json:
        click.echo(json.dumps({"model": model.name, "sentences": [
            {"text": s, "words": [w.to_dict() for w in words]} for s, words in rows.items()]},
            ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.text import Text

    from .score_view import BEYOND_NOTE, beyond_table

    console = Console()
    for text, words in rows.items():
        console.print(beyond_table(text, words))
    console.print(Text(BEYOND_NOTE, style="dim"))


@cli.command(context_settings=CONTEXT)
@MODEL_OPTION
@click.option("--corpus", default=None,
              help="Bundled corpus name [default: the one the model trained on].")
@click.option("--n", "n", type=click.IntRange(min=1, max=200), default=10, show_default=True,
              help="Questions in the round.")
@click.option("--category", type=click.Choice(lm.CATEGORIES), default=None,
              help="Only blanks of this kind.")
@click.option("--seed", type=int, default=None,
              help="Replay a quiz: the same seed draws the same questions [default: a new one].")
def quiz(model_path, corpus, n, category, seed):
    """What goes in the box? You against the model, one blanked word at a time."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(click.get_current_context().get_help())
        return
    if corpus is not None:
        _check_corpus(corpus)
    model = _load(model_path)
    _check_language(model, corpus)
    from .app import make_app
    from .modes.quiz import QuizSetup

    setup = QuizSetup(corpus=corpus, n=n, category=category, seed=seed)
    app = make_app(model, mode="quiz", setup=setup)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command(name="eval", context_settings=CONTEXT)
@MODEL_OPTION
@click.option("--corpus", default=None,
              help="Bundled corpus name [default: the one the model trained on].")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only the first N quiz items (a quick look) [default: all].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def eval_(model_path, corpus, limit, as_json):
    """The model takes the whole quiz alone: loss, bpc and perplexity on val/test, and quiz
    top-1/top-5 by category with the right context and with the left context only."""
    if corpus is not None:
        _check_corpus(corpus)
    model = _load(model_path)
    _check_language(model, corpus)
    from rich.console import Console

    from .eval_progress import eval_progress

    err = Console(stderr=True)
    with eval_progress(err) as (on_stage, on_item):
        report = model.evaluate(corpus, limit=limit, on_stage=on_stage, on_item=on_item)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    from .tables import eval_tables

    console = Console()
    for table in eval_tables(report):
        console.print(table)


def _tail(text: str, width: int = 40) -> str:
    """The end of a long text, for a title: what the words continue."""
    return text if len(text) <= width else "…" + text[-width:]


def _check_language(model: lm.LanguageModel, corpus: str | None) -> None:
    """A quiz in a language the model never read is noise with "easy" labels: refuse it."""
    manifest = registry.manifest()
    learned = {manifest[c]["language"] for c in model.trained_on.corpus if c in manifest}
    if corpus is not None and learned and manifest[corpus]["language"] not in learned:
        raise click.UsageError(f"--corpus {corpus} is in {manifest[corpus]['language']!r} and "
                               f"{model.name} learned {'/'.join(sorted(learned))!r}: pick a corpus "
                               "in its language")


def _check_corpus(name: str) -> None:
    if name not in registry.names():
        raise click.BadParameter(f"{name!r} is not a bundled corpus ({', '.join(registry.names())})",
                                 param_hint="--corpus")


def _load(path: str | None) -> lm.LanguageModel:
    lm.set_threads(1)  # token-at-a-time work: see lm.hardware.set_threads
    try:
        return lm.load(path)
    except lm.NoShippedModel:
        raise click.ClickException(
            "no model ships with this install yet: train one with `rnn-tui train` "
            "and pass --model PATH (the folder it prints)"
        ) from None


def main() -> None:
    warnings.showwarning = _one_line_warnings
    try:
        cli.main(prog_name="rnn-tui")
    except SystemExit:
        # First: the clauses below name lm's lazy exports, and matching an exception against
        # one imports it (torch with it) - click ends every command, --help too, this way.
        raise
    except lm.FollowsMain:
        sys.exit(0)  # rank 0 says it and fails the run; torchrun would stop rank 0 if this failed
    except lm.LMError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.stderr.close()  # a reader like `head` went away: not an error worth a trace
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("aborted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
