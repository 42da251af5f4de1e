"""Rich tables the CLI prints: corpora, models, and a blank's or a word's candidates."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

import lm

from .terminal_text import one_line

BAR = 24
CANDIDATE_BAR = 16  # beside a sentence, in 80 columns


def bar(p: float, width: int = BAR) -> Text:
    full = round(max(0.0, min(1.0, p)) * width)
    return Text("█" * full + "·" * (width - full), style="cyan")


def candidates_table(rows: list[tuple[str, float, str | None]], title: str) -> Table:
    """rows: (candidate, probability, filled sentence or None)."""
    table = Table(title=Text(one_line(title)), title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("candidate")
    table.add_column("probability", justify="right")
    # Never cut: at 80 columns the sentence wraps instead (rich shrinks the widest column).
    table.add_column("", no_wrap=True, min_width=CANDIDATE_BAR)
    show_sequence = any(seq for _, _, seq in rows)
    if show_sequence:
        table.add_column("sentence")
    for rank, (cand, p, seq) in enumerate(rows, 1):
        table.add_row(str(rank), Text(one_line(cand)), f"{p:.3f}", bar(p, CANDIDATE_BAR),
                      *([Text(one_line(seq or ""))] if show_sequence else []))
    return table


def corpora_table(manifest: dict, wide: bool) -> Table:
    table = Table("name", "lang", "size", "characters", "distinct words", "made", "license",
                  *(["description"] if wide else []))
    for name, entry in manifest.items():
        table.add_row(name, entry["language"], f"{entry['bytes'] / 1000:,.0f} kB",
                      f"{entry['characters']:,}", f"{entry['distinct_words']:,}", entry["made"],
                      entry["license"], *([entry["description"]] if wide else []))
    return table


def models_table(paths) -> Table:
    """The shipped model and the runs: what each is, what it learned from, how well, and when.
    A run's card (run.json) says it without loading the checkpoint; older runs are loaded."""
    table = Table(caption="steps: the run's updates, and the step of the checkpoint it loads "
                          "(best.pt: the best validation) where that is an earlier one",
                  caption_justify="left")
    # The name and the path are what --model takes: wrapped when narrow, never cut short.
    table.add_column("model", overflow="fold", min_width=8)
    for col in ("cell", "size", "tokenizer", "parameters", "corpus", "val bpc", "steps", "date"):
        table.add_column(col)
    table.add_column("path", overflow="fold", min_width=12)
    for path, card, problem in model_cards(paths):
        if card is None:
            table.add_row(path.name, *["-"] * 8, f"unreadable: {problem}")
            continue
        table.add_row(card.name, card.cell, card.size, card.tokenizer, f"{card.parameters:,}",
                      card.corpus_label, card.best, steps_label(path, card), card.date, str(path))
    return table


def model_cards(paths):
    """(path, card or None, why it is unreadable) for each model. A run's card (run.json) says
    it without loading the checkpoint; older runs are loaded."""
    for path in paths:
        card = lm.read_card(path)
        if card is None:
            try:
                card = lm.load(path).card
            except (lm.CheckpointError, ValueError) as e:  # ValueError: its metadata is damaged
                yield path, None, str(e)
                continue
        yield path, card, None


def models_lines(paths) -> list[Text]:
    """The models as two lines each, for a narrow terminal or a pipe: nothing is cut, so the
    name and the path can be copied into --model."""
    out = []
    for path, card, problem in model_cards(paths):
        if card is None:
            out.append(Text(f"{path.name}  unreadable: {problem}\n  {path}"))
            continue
        out.append(Text.assemble((card.name, "bold"), f"  {card.cell} {card.size}, "
                                 f"{card.tokenizer}, {card.parameters:,} parameters, "
                                 f"{card.corpus_label}, val bpc {card.best}, "
                                 f"steps {steps_label(path, card)}, {card.date}\n  {path}"))
    return out


def steps_label(path, card: lm.RunCard) -> str:
    """The run's steps, and the loaded checkpoint's where it is earlier: best.pt keeps the step
    of the best validation, which a run can pass by hundreds ("5,505 (best.pt: 5,000)")."""
    run, loaded = card.steps, None
    if path == lm.shipped_model_path():  # the card is the checkpoint's; MODEL.json the run's
        loaded = card.steps
        try:
            run = json.loads(path.with_name("MODEL.json").read_text(encoding="utf-8"))["steps"]
        except (OSError, ValueError, KeyError):
            pass
    else:  # run.json is the last save's (the run's); the history marks each new best
        folder = path if path.is_dir() else path.parent
        bests = [h["step"] for h in lm.read_history(folder) if h.get("best")]
        loaded = bests[-1] if bests else None
    if not isinstance(run, int):
        return "-"
    if loaded is None or loaded == run:
        return f"{run:,}"
    return f"{run:,} (best.pt: {loaded:,})"


def model_line(path) -> str:
    """A model switcher's line under a run: cell, size, corpus, best bpc, date (or the path,
    for the shipped model and runs saved before cards were written)."""
    card = lm.read_card(path)
    return card.summary() if card else str(path)


def eval_tables(report: dict) -> list[Table]:
    """`rnn-tui eval` as tables: the loss on held-out text, the quiz by category and the minimal
    pairs, each with the word n-gram of the same training text beside the network."""
    m, order = report["model"], report["ngram"]["order"]
    loss = Table(title=f"{m['name']}: {m['cell']} {m['layers']}x{m['hidden']}, {m['tokenizer']} "
                       f"tokenizer, on {'+'.join(report['corpus'])}", title_justify="left",
                 caption=f"n-gram: the word {order}-gram counted from the same training text, "
                         "coding the same characters exactly", caption_justify="left")
    for col in ("split", "loss (nats/token)", "bits/char", f"{order}-gram bits/char",
                "perplexity", "characters"):
        loss.add_column(col, justify="right" if col != "split" else "left")
    for split in ("val", "test"):
        if (r := report[split]) is None:
            loss.add_row(split, "-", "-", "-", "-", "(not in this model's split)")
            continue
        loss.add_row(split, f"{r['loss_nats']:.4f}", f"{r['bpc']:.4f}", f"{r['ngram_bpc']:.4f}",
                     f"{r['perplexity']:.2f}", f"{r['characters']:,}")
    tables = [loss]
    keys = ("top1", "top5", "left_top1", "left_top5", "ngram_top1", "ngram_top5", "coverage")
    for source, part in report["quiz"]["by_source"].items():
        scores = Table(title=f"quiz, {source}: {part['items']} held-out blanks (% of items)",
                       title_justify="left",
                       caption="scored: items with an accepted answer among the words the "
                               "network read the right context for", caption_justify="left")
        scores.add_column("category", no_wrap=True)
        for col in ("items", "top-1", "top-5", "left top-1", "left top-5",
                    f"{order}-gram top-1", f"{order}-gram top-5", "scored"):
            scores.add_column(col, justify="right")
        for cat, r in part["categories"].items():
            style = "bold" if cat == "all" else None
            scores.add_row(cat, str(r["items"]), *(f"{100 * r[k]:.1f}" for k in keys), style=style)
        tables.append(scores)
    if "pairs" in report:
        tables.append(pairs_table(report["pairs"], order))
    return tables


def pairs_table(pairs: dict, order: int) -> Table:
    net, counted = pairs["model"], pairs["ngram"]
    window = net["window"]
    table = Table(title=f"minimal pairs: {net['all']['pairs']} held-out, the grammatical one "
                        "likelier? (% of pairs)", title_justify="left",
                  caption=f"past the window: pairs with {window} or more words between the "
                          f"deciding word and the word it decides, out of the {order}-gram's "
                          "sight", caption_justify="left")
    table.add_column("phenomenon", no_wrap=True)
    for col in ("pairs", "network", f"{order}-gram", "past the window", "network",
                f"{order}-gram"):
        table.add_column(col, justify="right")

    def share(x):
        return "-" if x is None else f"{100 * x:.1f}"

    rows = [*net["phenomena"].items(), ("all", net["all"])]
    for name, r in rows:
        c = counted["all"] if name == "all" else counted["phenomena"][name]
        table.add_row(name, str(r["pairs"]), share(r["accuracy"]), share(c["accuracy"]),
                      str(r["long_pairs"]) if r["long_pairs"] else "-",
                      share(r["long_accuracy"]), share(c["long_accuracy"]),
                      style="bold" if name == "all" else None)
    return table
