"""Reading and writing Brian2 quantities as text (``"40 ms"``, ``"25*Hz"``, ``"1.5"``).

Used by parameter files and by the command line, so that a value typed by a
user carries its unit and a wrong unit is caught where it is typed.
"""
from __future__ import annotations

import ast
import re

import numpy as np
import brian2
from brian2 import Quantity
from brian2.units.fundamentalunits import get_dimensions

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)\s*(.*)$",
                     re.IGNORECASE)
_UNIT_TOKEN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _unit_namespace() -> dict:
    ns = {}
    for name in dir(brian2.units):
        obj = getattr(brian2.units, name)
        if isinstance(obj, Quantity):
            ns[name] = obj
    for name in dir(brian2.units.allunits):
        obj = getattr(brian2.units.allunits, name)
        if isinstance(obj, Quantity):
            ns[name] = obj
    # also the short symbols Brian2 prints ("S", "nS", "mV", "ms", ...)
    for obj in list(ns.values()):
        symbol = str(obj)
        if _UNIT_TOKEN.match(symbol) and symbol not in ns:
            ns[symbol] = obj
    return ns


_UNITS = _unit_namespace()

#: Brian2 has no minute; the read-out of plasticity experiments is in minutes.
minute = 60 * brian2.second
_UNITS.setdefault("minute", minute)
_UNITS.setdefault("min", minute)


def _eval_unit(expr: str):
    """Evaluate a unit expression built only of unit names, *, /, ** and numbers."""
    tree = ast.parse(expr, mode="eval")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Name):
            if node.id not in _UNITS:
                raise ValueError(f"unknown unit '{node.id}'")
            return _UNITS[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) \
                and isinstance(node.operand, ast.Constant):          # an exponent: umolar**-3
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div, ast.Pow)):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                return left / right
            return left ** right
        raise ValueError(f"cannot read unit expression '{expr}'")

    return ev(tree)


def parse_quantity(text):
    """Parse ``"40 ms"``, ``"40*ms"``, ``"4e-2 * second"``, ``"0.5"`` into a value.

    Returns a Brian2 Quantity (or a float for a plain number).  Raises
    ``ValueError`` with the offending text on anything else.
    """
    if isinstance(text, (int, float, np.floating, np.integer)) and not isinstance(text, bool):
        return float(text)
    if isinstance(text, Quantity):
        return text
    if not isinstance(text, str):
        raise ValueError(f"cannot read a quantity from {text!r}")
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(f"cannot read a quantity from '{text}' (expected e.g. '40 ms')")
    number = float(match.group(1))
    rest = match.group(2).strip()
    if rest.startswith("*"):
        rest = rest[1:].strip()
    elif rest.startswith("/"):                                # "1.8 / (umolar**3 * second)"
        rest = "1" + rest
    if not rest:
        return number
    try:
        unit = _eval_unit(rest)
    except (SyntaxError, ValueError) as err:
        raise ValueError(f"cannot read the unit of '{text}': {err}") from None
    return number * unit


def format_quantity(value) -> str:
    """Inverse of :func:`parse_quantity` (``repr``-exact numbers)."""
    if isinstance(value, Quantity):
        dims = get_dimensions(value)
        if dims.is_dimensionless:
            return repr(float(np.asarray(value)))
        unit = value.get_best_unit()
        number = float(np.asarray(value / unit))
        if _reads_back(str(unit), number, value):
            return f"{number!r} * {unit!s}"
        # a compound unit Brian2 prints in a form no unit expression reads ("(uM^1)/s"), or
        # a value the unit's scale does not give back to the last bit: the SI value over
        # base units, exact and readable back
        return f"{float(np.asarray(value))!r} * {_si_base_text(dims)}"
    return repr(float(value))


def is_finite(value) -> bool:
    return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))


#: the SI base units, in the order of Brian2's dimension exponents
_BASE = ("metre", "kilogram", "second", "amp", "kelvin", "mole", "candela")


def _si_base_text(dims) -> str:
    parts = []
    for name, exponent in zip(_BASE, dims._dims):
        if exponent == 0:
            continue
        e = int(exponent) if float(exponent).is_integer() else float(exponent)
        parts.append(name if e == 1 else f"{name}**{e}")
    return " * ".join(parts)


def _reads_back(text: str, number: float, value) -> bool:
    """Whether ``number * text`` parses back to ``value`` bit for bit."""
    try:
        back = number * _eval_unit(text)
    except (SyntaxError, ValueError, TypeError):
        return False
    return (get_dimensions(back) == get_dimensions(value)
            and float(np.asarray(back)) == float(np.asarray(value)))


__all__ = ["parse_quantity", "format_quantity", "is_finite", "minute"]
