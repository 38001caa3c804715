"""Every figure script runs on tiny settings and writes its PNG and its data (the plots read what runs return).

The default run keeps one (``jang2026_sweep``; the CLI test draws the stdp figure
and the manipulation tests run ``pharmacology``); the others, 20-90 s each on
tiny settings (several protocols or models, each compiled once), run with
``-m slow`` (in CI), to keep the default run short.
"""
import importlib

import pytest

from plasticity.cli import FIGURE_SCRIPTS

SLOW = {"jang2026", "pharmacology", "time_courses", "stdp_window", "model_comparison",
        "frequency_response", "network_training"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n
                                  for n in FIGURE_SCRIPTS])
def test_figure_script_runs_on_tiny_settings(name, tmp_path):
    module = importlib.import_module(f"figures.{name}")
    path = module.main(["--out", str(tmp_path), "--quick"])
    assert path.exists() and path.stat().st_size > 10_000
    assert list(tmp_path.glob("*.nc")), "the figure's data are saved beside it"
