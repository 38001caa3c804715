"""plasticity: biophysical synaptic plasticity on Brian2.

Calcium-driven CaMKII (fast) and DAPK1 (slow) kinetics compete and set the sign
of learning.  See the README for the two commands that reproduce Jang, Flores,
Zito & O'Reilly 2026 and run the tests.
"""
__version__ = "0.1.0"

from .models import get_model, model_names, UnknownNameError  # noqa: E402
from .parameters import Parameters, ParameterError  # noqa: E402

__all__ = ["get_model", "model_names", "Parameters", "ParameterError", "UnknownNameError",
           "__version__"]
