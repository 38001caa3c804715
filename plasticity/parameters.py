"""Parameter sets with Brian2 units: declared, validated, saved, hashed.

A model declares its parameters once as :class:`Spec` rows (name, unit,
default, admissible range, meaning and source).  :class:`Parameters` holds
values for those specs and refuses, at construction, a value with the wrong
physical dimension, a NaN, or a value outside its range, naming the model and
the parameter.  Values save to and load from a plain JSON file of strings such
as ``"40. * msecond"``; :attr:`Parameters.hash` is a stable digest of the SI
values, written into every output for provenance.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
from brian2 import Quantity, DimensionMismatchError
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

from .units import parse_quantity, format_quantity


class ParameterError(ValueError):
    """A parameter value is unknown, has the wrong unit, or is impossible."""


@dataclass(frozen=True)
class Spec:
    """One declared parameter.

    ``unit`` is a Brian2 unit (or 1 for dimensionless); ``low``/``high`` are the
    admissible closed range in that unit (``None`` = unbounded); ``positive``
    additionally excludes zero (time constants, capacitances).
    """

    name: str
    default: object
    unit: object
    doc: str
    source: str = ""
    low: float | None = None
    high: float | None = None
    positive: bool = False
    #: True for values every row must share (e.g. a clock period); these go into
    #: the Brian2 namespace instead of being per-row variables.
    shared: bool = False

    def check(self, value, owner: str):
        where = f"{owner}: parameter '{self.name}'"
        if isinstance(value, str):
            try:
                value = parse_quantity(value)
            except ValueError as err:
                raise ParameterError(f"{where}: {err}") from None
        unit_dims = get_dimensions(self.unit)
        if not have_same_dimensions(value, self.unit):
            raise ParameterError(
                f"{where} must have the unit of {_unit_name(self.unit)}, "
                f"got {value!r} (dimensions {get_dimensions(value)} vs {unit_dims})")
        number = float(np.asarray(value / self.unit))
        if not math.isfinite(number):
            raise ParameterError(f"{where} must be finite, got {value!r}")
        if self.positive and number <= 0:
            raise ParameterError(f"{where} must be > 0, got {value!r}")
        if self.low is not None and number < self.low:
            raise ParameterError(
                f"{where} must be >= {self.low} {_unit_name(self.unit)}, got {value!r}")
        if self.high is not None and number > self.high:
            raise ParameterError(
                f"{where} must be <= {self.high} {_unit_name(self.unit)}, got {value!r}")
        return value if isinstance(value, Quantity) else float(number)


def _unit_name(unit) -> str:
    return "1 (dimensionless)" if not isinstance(unit, Quantity) or get_dimensions(unit).is_dimensionless \
        else str(unit)


class Parameters(Mapping):
    """Validated values for a list of :class:`Spec` (an immutable mapping).

    >>> from plasticity import get_model
    >>> p = get_model("kinase").parameters
    >>> p["tau_P"]
    40. * msecond
    >>> p2 = p.replace(tau_D=80 * ms)      # doctest: +SKIP
    """

    def __init__(self, specs: Iterable[Spec], values: Mapping | None = None, owner: str = "model"):
        self._specs = {s.name: s for s in specs}
        self.owner = owner
        values = dict(values or {})
        unknown = sorted(set(values) - set(self._specs))
        if unknown:
            raise ParameterError(
                f"{owner}: unknown parameter(s) {', '.join(unknown)}; known: {', '.join(self._specs)}")
        self._values = {}
        for name, spec in self._specs.items():
            self._values[name] = spec.check(values.get(name, spec.default), owner)

    # Mapping interface
    def __getitem__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise ParameterError(f"{self.owner}: unknown parameter '{name}'") from None

    def __contains__(self, name):
        return name in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __repr__(self):
        body = ", ".join(f"{k}={format_quantity(v)}" for k, v in self._values.items())
        return f"Parameters[{self.owner}]({body})"

    @property
    def specs(self) -> dict[str, Spec]:
        return dict(self._specs)

    def replace(self, **changes) -> "Parameters":
        """A copy with some values changed (validated like the constructor)."""
        merged = dict(self._values)
        unknown = sorted(set(changes) - set(self._specs))
        if unknown:
            raise ParameterError(
                f"{self.owner}: unknown parameter(s) {', '.join(unknown)}; known: {', '.join(self._specs)}")
        merged.update(changes)
        return Parameters(self._specs.values(), merged, self.owner)

    def to_strings(self) -> dict[str, str]:
        return {k: format_quantity(v) for k, v in self._values.items()}

    def save(self, path) -> Path:
        path = Path(path)
        path.write_text(json.dumps({"model": self.owner, "parameters": self.to_strings()}, indent=1) + "\n")
        return path

    @classmethod
    def load(cls, path, specs: Iterable[Spec], owner: str = "model") -> "Parameters":
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise ParameterError(f"cannot read parameter file {path}: {err}") from None
        values = data.get("parameters", data) if isinstance(data, dict) else None
        if not isinstance(values, dict):
            raise ParameterError(f"{path}: expected a JSON object of name: value")
        return cls(specs, values, owner)

    @property
    def hash(self) -> str:
        """A 16-hex-digit SHA-256 digest of the SI values (stable across runs)."""
        canon = {k: repr(float(np.asarray(v))) if not isinstance(v, Quantity)
                 else repr(float(np.asarray(v)))
                 for k, v in sorted(self._values.items())}
        blob = json.dumps({"model": self.owner, "values": canon}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def si(self, name) -> float:
        """The value of one parameter as a plain float in SI units."""
        return float(np.asarray(self[name]))


__all__ = ["Spec", "Parameters", "ParameterError", "DimensionMismatchError"]
