"""Shared fixtures: Brian2 quiet, cython target, one compiled build reused per shape."""
import logging
import warnings

import pytest

warnings.filterwarnings("ignore")
logging.getLogger("brian2").setLevel(logging.ERROR)


@pytest.fixture(autouse=True)
def _quiet_brian():
    from brian2 import prefs
    prefs.codegen.target = "cython"
    yield
