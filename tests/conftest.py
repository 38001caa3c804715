"""Shared fixtures: Brian2 quiet, cython target, one compiled build reused per shape."""
import logging
import re
import warnings

import pytest

warnings.filterwarnings("ignore")
logging.getLogger("brian2").setLevel(logging.ERROR)


@pytest.fixture(autouse=True)
def _quiet_brian():
    from brian2 import prefs
    prefs.codegen.target = "cython"
    yield


#: a log record that Brian2 itself prints when it is imported (e.g. its INFO that the
#: code cache has outgrown ``codegen.max_cache_dir_size``): the user's environment,
#: not the command's output
_BRIAN2_RECORD = re.compile(r"^(DEBUG|INFO|WARNING)\s.*?\[brian2[^\]]*\]\s*$", re.S | re.M)


def _error_lines(stderr: str) -> list:
    """The non-empty lines of a command's stderr, less Brian2's own log records."""
    return [line for line in _BRIAN2_RECORD.sub("", stderr).splitlines() if line.strip()]


@pytest.fixture
def error_lines():
    """``error_lines(stderr)``: what a subprocess command itself wrote to stderr, line by line."""
    return _error_lines
