"""Experiments: what is done to the preparation and what is measured.

Each protocol is a small module of pure data (parameters with units, the
schedule it builds, the paper's reference numbers).  :func:`get_protocol`
finds one by name; :func:`protocols.experiment.reproduce` runs it on a model.
"""
from __future__ import annotations

from plasticity.models import UnknownNameError

from . import jang2026, jang2026_sweep, hfs, tbs, lfs, freq_response, stdp

PROTOCOLS = {m.NAME: m for m in (jang2026, jang2026_sweep, hfs, tbs, lfs, freq_response, stdp)}


def get_protocol(name: str):
    try:
        return PROTOCOLS[name]
    except KeyError:
        raise UnknownNameError(
            f"unknown protocol '{name}'; known protocols: {', '.join(sorted(PROTOCOLS))}") from None


def protocol_names() -> list[str]:
    return sorted(PROTOCOLS)


__all__ = ["get_protocol", "protocol_names", "PROTOCOLS"]
