"""The wheel must carry every subpackage (an explicit package list once dropped
plasticity.chemistry.molecules, so `pip install .` broke the spine models outside the
source tree)."""
import fnmatch
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else pytest.importorskip("tomli")


def test_every_package_is_included_in_the_distribution():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [".".join(p.parent.relative_to(ROOT).parts) for p in ROOT.glob("*/**/__init__.py")
                if not any(part.startswith(".") or part in ("tests", "build") for part in p.parts)]
    assert "plasticity.chemistry.molecules" in packages
    missing = [p for p in packages if not any(fnmatch.fnmatch(p, pat) for pat in include)]
    assert not missing, f"packages left out of the wheel: {missing}"
