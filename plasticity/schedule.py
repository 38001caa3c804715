"""What a protocol hands to the runner: stimulation as arrays with units, in sweeps.

A recording is a sequence of **sweeps**, as in a patch-clamp acquisition
program.  Every sweep is simulated for the same ``sweep_length`` (600 ms by
default: one Jang theta window plus its 400 ms gap).  A sweep can stand for a
longer stretch of real time (``sweep_duration``): a test-probe sweep every
20 s, or a 15 s pause between induction blocks.  Then the first
``active_length`` of the sweep runs in real time (probe, EPSP, all fast
dynamics) and only the quiet tail is compressed: there the slow expression
advances by the real elapsed time (see :mod:`plasticity.expression`) while the
fast state sits at rest.  The runner checks that it does, in every run.

Kinds of sweep: ``conditioning`` (test pulses before the recorded baseline,
for models whose synapse needs them to reach a steady baseline; delivered,
not read out), ``baseline`` and ``followup`` (test pulses, read out),
``induction`` and ``pause``.

Times inside :class:`Stimulus` are *simulation* times (sweep k starts at
k * sweep_length); :attr:`Schedule.sweep_start` gives the matching real times.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from brian2 import Quantity, ms, second, pA

SWEEP_KINDS = ("conditioning", "baseline", "induction", "pause", "followup")


class ScheduleError(ValueError):
    """A protocol asked for something the runner cannot do or that is impossible."""


@dataclass(frozen=True)
class Stimulus:
    """What one condition delivers: presynaptic pulses and somatic current steps."""

    pre_spikes: Quantity                      # simulation times of presynaptic pulses
    current_steps: tuple = ()                 # ((start, stop, amplitude), ...) simulation times

    def validate(self, name: str, total: Quantity):
        spikes = np.asarray(self.pre_spikes / second, dtype=float)
        if spikes.ndim != 1:
            raise ScheduleError(f"condition '{name}': pre_spikes must be a 1-D array of times")
        if not np.all(np.isfinite(spikes)):
            raise ScheduleError(f"condition '{name}': presynaptic spike times must be finite")
        if spikes.size and (spikes.min() < 0 or spikes.max() >= float(total / second)):
            raise ScheduleError(f"condition '{name}': presynaptic spike outside the recording")
        for start, stop, amp in self.current_steps:
            if not np.isfinite(float(amp / pA)):
                raise ScheduleError(f"condition '{name}': current step amplitude is {amp} (not finite)")
            if not stop > start:
                raise ScheduleError(f"condition '{name}': current step ends before it starts")


@dataclass(frozen=True)
class Schedule:
    """All conditions of one protocol, sharing one sweep structure."""

    protocol: str
    stimuli: dict                     # condition name -> Stimulus
    sweep_kind: tuple                 # one of SWEEP_KINDS per sweep
    sweep_duration: Quantity          # real duration of every sweep
    sweep_length: Quantity = field(default_factory=lambda: 600 * ms)
    active_length: Quantity = field(default_factory=lambda: 300 * ms)
    #: where the test pulse sits in a probe sweep
    probe_offset: Quantity = field(default_factory=lambda: 50 * ms)
    #: (start, stop) simulation times through which Ca traces are recorded
    trace_window: tuple | None = None
    #: real time that is t = 0 of the read-out
    induction_end: Quantity = field(default_factory=lambda: 0 * second)
    parameters: dict = field(default_factory=dict)  # the protocol's own knobs, for provenance

    @property
    def conditions(self) -> tuple:
        return tuple(self.stimuli)

    @property
    def n_sweeps(self) -> int:
        return len(self.sweep_kind)

    @property
    def simulated_duration(self) -> Quantity:
        return self.n_sweeps * self.sweep_length

    @property
    def sweep_start(self) -> Quantity:
        """Real (protocol) start time of every sweep."""
        d = np.asarray(self.sweep_duration / second, dtype=float)
        return np.concatenate([[0.0], np.cumsum(d)[:-1]]) * second

    @property
    def probe_sweeps(self) -> np.ndarray:
        """Sweeps that deliver a test pulse (conditioning, baseline, follow-up)."""
        kinds = np.asarray(self.sweep_kind)
        return np.flatnonzero(np.isin(kinds, ("conditioning", "baseline", "followup")))

    @property
    def recorded_sweeps(self) -> np.ndarray:
        """Test-pulse sweeps that are read out (baseline and follow-up)."""
        kinds = np.asarray(self.sweep_kind)
        return np.flatnonzero((kinds == "baseline") | (kinds == "followup"))

    @property
    def induction_span(self):
        """Simulated (start, stop) of the sweeps from the first to the last induction sweep
        (pauses between them included), or None if the schedule has no induction sweep."""
        ind = np.flatnonzero(np.asarray(self.sweep_kind) == "induction")
        if not ind.size:
            return None
        return ind[0] * self.sweep_length, (ind[-1] + 1) * self.sweep_length

    @property
    def first_recorded_sweep(self) -> int:
        """Index of the first sweep after the conditioning ones (0 if there are none)."""
        kinds = np.asarray(self.sweep_kind)
        after = np.flatnonzero(kinds != "conditioning")
        return int(after[0]) if after.size else self.n_sweeps

    def real_times(self, sim_times) -> Quantity:
        """Real (protocol) times of events given in simulation time (e.g. a Stimulus's pulses)."""
        t = np.asarray(sim_times / second, dtype=float)
        length = float(self.sweep_length / second)
        k = np.floor(t / length + 1e-9).astype(int)
        if np.any(k < 0) or np.any(k >= self.n_sweeps):
            raise ScheduleError(f"protocol '{self.protocol}': a time outside the recording")
        return (np.asarray(self.sweep_start / second)[k] + t - k * length) * second

    def validate(self):
        if not self.stimuli:
            raise ScheduleError(f"protocol '{self.protocol}': no conditions")
        unknown = set(self.sweep_kind) - set(SWEEP_KINDS)
        if unknown:
            raise ScheduleError(f"protocol '{self.protocol}': unknown sweep kinds {sorted(unknown)}")
        durations = np.asarray(self.sweep_duration / second, dtype=float)
        length = float(self.sweep_length / second)
        active = float(self.active_length / second)
        if durations.shape != (self.n_sweeps,):
            raise ScheduleError(f"protocol '{self.protocol}': one duration per sweep is needed")
        if not 0 < active <= length:
            raise ScheduleError(f"protocol '{self.protocol}': active_length must be in (0, sweep_length]")
        if np.any(durations < length * (1 - 1e-9)):
            raise ScheduleError(
                f"protocol '{self.protocol}': every sweep must last at least sweep_length "
                f"({self.sweep_length}); got {durations.min() * 1e3:.1f} ms")
        kinds = np.asarray(self.sweep_kind)
        first = self.first_recorded_sweep
        if np.any(kinds[first:] == "conditioning"):
            raise ScheduleError(f"protocol '{self.protocol}': conditioning sweeps must come first")
        for name, stim in self.stimuli.items():
            stim.validate(name, self.simulated_duration)
        return self


__all__ = ["Stimulus", "Schedule", "ScheduleError", "SWEEP_KINDS"]
