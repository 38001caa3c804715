"""Every figure script runs on tiny settings and writes its PNG (the plots read what runs return)."""
import importlib

import pytest

from plasticity.cli import FIGURE_SCRIPTS


@pytest.mark.parametrize("name", FIGURE_SCRIPTS)
def test_figure_script_runs_on_tiny_settings(name, tmp_path):
    module = importlib.import_module(f"figures.{name}")
    path = module.main(["--out", str(tmp_path), "--quick"])
    assert path.exists() and path.stat().st_size > 10_000
