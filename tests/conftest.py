"""Shared fixtures: Brian2 quiet, cython target, unoptimised builds, one build reused per shape."""
import logging
import os
import re
import warnings

import pytest

warnings.filterwarnings("ignore")
logging.getLogger("brian2").setLevel(logging.ERROR)

#: every C++ build of the tests (and of the commands they start) is unoptimised: on a fresh
#: machine compiling was ~60 % of the default run (1206 s cold against 464 s with a warm
#: cache); -O0 without -ffast-math keeps the IEEE arithmetic (plasticity.simulate.compile_args).
#: A value already in the environment wins.
TEST_COMPILE_ARGS = "-w -g0 -O0 -std=c++11"
os.environ.setdefault("PLASTICITY_COMPILE_ARGS", TEST_COMPILE_ARGS)


@pytest.fixture(autouse=True)
def _quiet_brian():
    from brian2 import prefs
    prefs.codegen.target = "cython"
    # Brian2 objects a test builds itself compile with the same flags
    from plasticity.simulate import compile_args
    prefs.codegen.cpp.extra_compile_args_gcc = compile_args()
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
