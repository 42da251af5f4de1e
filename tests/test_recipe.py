"""The recipe: flags left unset follow the time budget; a flag given always wins; a resumed run
keeps what its first run chose."""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest

import lm
from lm.training import recipe


@pytest.mark.parametrize("minutes, cell, hidden", [(1, "gru", 256), (5, "gru", 256),
                                                   (10, "gru", 384), (20, "gru", 384),
                                                   (60, "gru", 512), (None, "gru", 512)])
def test_unset_flags_follow_the_minutes(minutes, cell, hidden):
    config = lm.TrainConfig(max_minutes=minutes)
    assert (config.cell, config.hidden) == (cell, hidden)
    assert set(config.from_recipe) == set(recipe.FIELDS)
    assert recipe.chosen(config).startswith(f"recipe for {f'{minutes:g} min' if minutes else 'no time budget'}: GRU 2x{hidden}")


def test_a_flag_given_wins_and_the_line_names_it():
    config = lm.TrainConfig(max_minutes=5, hidden=100, cell="lstm")
    assert (config.cell, config.hidden, config.layers, config.lr) == ("lstm", 100, 2, 7e-3)
    assert "hidden" not in config.from_recipe and "cell" not in config.from_recipe
    assert recipe.chosen(config) == ("recipe for 5 min: LSTM 2x100, dropout 0, batch 32 x 64, "
                                     "lr 0.007, weight decay 0.1 (with your --cell, --hidden)")
    every = {name: getattr(config, name) for name in recipe.FIELDS}
    assert recipe.chosen(lm.TrainConfig(max_minutes=5, **every)) is None


def test_a_resumed_run_keeps_its_recipe_when_given_other_minutes():
    first = lm.TrainConfig(max_minutes=5)
    saved = lm.TrainConfig.from_dict(asdict(first))
    resumed = replace(saved, max_minutes=60)
    assert {n: getattr(resumed, n) for n in recipe.FIELDS} == \
        {n: getattr(first, n) for n in recipe.FIELDS}


def test_a_budget_that_is_not_a_number_is_refused_not_looked_up():
    with pytest.raises(ValueError, match="max minutes must be a finite number"):
        lm.TrainConfig(max_minutes=float("nan"))
