"""Hand a Brian2 group's chemistry to the stiff solver and back (the split-phase scheme).

During stimulation the whole row (neuron, synapse, reaction network) steps
together in Brian2 with forward Euler at a fine dt.  Through the long quiet
stretches of a protocol (pauses, the 20 s between test pulses, the settling
before t = 0) the runner stops at a sweep boundary, and
:meth:`GroupChemistry.advance` integrates the network alone with the
linearly implicit solver of :mod:`plasticity.chemistry.stiff`, with the
outside inputs (Ca2+ influx) at zero, then writes the state back.  Both
integrators conserve every linear invariant of the network to round-off; the
split is validated against a fully fine-stepped run and against CVODE in the
tests (tests/test_spine_model.py) and benchmarks/crosscheck_spine.py.

Tolerances of the quiet phases: rtol 1e-3, atol 1e-7 uM.  Measured on the
production path: the Jang 2x2 on ``spine`` (53 cells, 155 quiet phases) with
rtol 1e-3 against rtol 3e-4 gives expressed weights equal to 7.5e-6 relative
and the same table to four digits, in 209 instead of 246 s (93 s of it in the
quiet phases at 3e-4, 7435 batched steps); benchmarks/crosscheck_spine.py
against CVODE gives 8.2e-3 / 4.1e-3 / 1.0e-3 (CaMKII-GluN2B, DAPK1-GluN2B,
trapped AMPAR) at 1e-3 and 8.3e-3 / 4.1e-3 / 9.3e-4 at 3e-4: the difference
to CVODE comes from the fine-stepped part, not from these tolerances.  (On a
spine state 0.4 s after a Jang window, 19.4 s of quiet, rtol 3e-4 took 47
ROS3 steps for a largest relative error of 3e-5 against rtol 1e-9.)

Brian2 stores concentrations in SI (mol/m^3 = mM); the solver works in uM and
seconds, with rate constants in the units of the SBML file.
"""
from __future__ import annotations

import numpy as np
from brian2 import second

from .network import ReactionNetwork, ChemistryError
from .stiff import StiffSolver

_UM_SI = 1e-3      # 1 uM in mol/m^3
#: tolerances of the quiet phases (see the module docstring)
QUIET_RTOL, QUIET_ATOL = 1e-3, 1e-7


class GroupChemistry:
    """The species and rate constants of ``net`` held by the rows of a Brian2 ``group``."""

    def __init__(self, net: ReactionNetwork, group, namespace=None, rtol=QUIET_RTOL,
                 atol=QUIET_ATOL):
        self.net, self.group = net, group
        self.solver = StiffSolver(net)
        self.rtol, self.atol = rtol, atol
        namespace = namespace or {}
        self._param_scale = {}     # per-row parameter -> SI value of its file unit
        self._shared = {}          # parameter the same in every row -> value in file units
        for name in net.parameters:
            unit_si = float(np.asarray(net.parameter_unit(name)))
            if name in group.variables:
                self._param_scale[name] = unit_si
            elif name in namespace:
                self._shared[name] = float(np.asarray(namespace[name])) / unit_si
            else:
                self._shared[name] = net.parameter_in_file_units(name)
        # observables the group stores as variables (written by the Euler code at the end
        # of every step): recomputed after an advance, else they stay stale until then
        self._stored = {name: unit for name, (_, unit) in net.observable_definitions.items()
                        if name in group.variables}
        self.last_info = None
        self.settled = None        # the state after settling, set by the runner
        self.conditioned = None    # the state at the end of the conditioning sweeps (runner)

    def state(self) -> dict:
        """{species id: array over rows} in uM."""
        return {sid: np.array(self.group.variables[sid].get_value(), dtype=float) / _UM_SI
                for sid in self.net.species_ids}

    def set_state(self, x: dict):
        for sid, value in x.items():
            self.group.variables[sid].get_value()[:] = np.asarray(value) * _UM_SI

    def params(self) -> dict:
        out = dict(self._shared)
        for name, scale in self._param_scale.items():
            out[name] = np.array(self.group.variables[name].get_value(), dtype=float) / scale
        return out

    def advance(self, duration) -> dict:
        """Integrate the network alone (inputs off) for ``duration`` (a time or seconds)."""
        seconds = float(duration / second) if hasattr(duration, "dim") else float(duration)
        if seconds <= 0:
            return {"steps": 0}
        state, params = self.state(), self.params()
        finite = np.all([np.isfinite(v) for v in state.values()], axis=0)
        if not np.all(finite):
            rows = np.flatnonzero(~finite)
            species = sorted(s for s, v in state.items() if not np.all(np.isfinite(v[rows])))
            raise ChemistryError(
                f"the chemistry of row(s) {rows.tolist()} diverged before a quiet phase "
                f"({len(species)} species not finite, e.g. {', '.join(species[:5])}); its rate "
                f"constants or inputs are outside what the fine steps can follow")
        # rows with the same state and rate constants (e.g. a cohort before t = 0) are
        # advanced once
        ids = list(state)
        per_row = [k for k, v in params.items() if np.ndim(v)]
        table = np.column_stack([state[s] for s in ids] + [params[k] for k in per_row])
        _, first, back = np.unique(table, axis=0, return_index=True, return_inverse=True)
        back = np.ravel(back)
        x_new, info = self.solver.advance({s: state[s][first] for s in ids},
                                          {k: (v[first] if k in per_row else v)
                                           for k, v in params.items()},
                                          seconds, rtol=self.rtol, atol=self.atol)
        new = {s: np.asarray(x_new[s])[back] for s in ids}
        self.set_state(new)
        for name, unit in self._stored.items():
            value = np.asarray(self.net.evaluate(name, new), dtype=float)
            self.group.variables[name].get_value()[:] = value if unit == "1" else value * _UM_SI
        self.last_info = info
        return info


__all__ = ["GroupChemistry", "QUIET_RTOL", "QUIET_ATOL"]
