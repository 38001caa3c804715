"""An independent check of the split-phase numerics: the same network and Ca2+ input in CVODE.

The production scheme (:mod:`plasticity.chemistry.coupling`): forward Euler in
Brian2 at ``dt / substeps`` with the Ca2+ influx held over each ``dt`` while
there is input, the batched Rosenbrock solver through the quiet stretches.
Here the influx is the same function of time in both engines: exponentially
decaying kernels (NMDA-like per release, VGCC-like per postsynaptic spike)
kicked at given times (SpikeGeneratorGroups in Brian2, SBML events in
libroadrunner), e.g. the spike trains of a Jang et al 2026 induction.
:func:`compare` reports the largest relative difference of chosen
observables at the sampled times.
"""
from __future__ import annotations

import numpy as np
from brian2 import (NeuronGroup, Network, SpikeGeneratorGroup, Synapses, second, ms,
                    prefs)

from .coupling import GroupChemistry
from .network import ReactionNetwork
from .sbml import to_sbml

#: kernel amplitudes (uM/s) and decays (s): a release opens NMDA receptors for
#: ~30 ms; a bAP opens VGCCs for ~3 ms with the Genesis peak fluxes (spec 7.2)
KERNELS = {"s_nmda": 0.030, "s_vgcc": 0.003}
INPUTS = {"J_ca_psd": "20000 * s_nmda + 15700 * s_vgcc", "J_ca_cyt": "9100 * s_vgcc"}


def jang_trains(rate_first_hz, rate_second_hz, n_blocks=5, n_windows=10, window=0.2, gap=0.4,
                pause=15.0, lag=0.005):
    """Release and spike times of a Jang-style induction: (pre, post, block spans) in s."""
    pre, post, blocks = [], [], []
    t = 0.0
    for b in range(n_blocks):
        start = t
        for _ in range(n_windows):
            for rate, a in ((rate_first_hz, t), (rate_second_hz, t + window / 2)):
                times = a + np.arange(0, window / 2 - 1e-9, 1.0 / rate)
                pre += list(times)
                post += list(times + lag)
            t += window + gap
        blocks.append((start, t))
        t += pause
    return np.array(pre), np.array(post), blocks


def compare(net: ReactionNetwork, pre, post, phases, observables, dt=0.2 * ms, substeps=8,
            sample_every=0.5, implicit=(), gain=1.0):
    """Largest relative differences (Brian2 split scheme vs CVODE) per observable.

    ``gain`` scales both Ca2+ fluxes of :data:`INPUTS` (the same in both runs).

    ``phases``: [("active" | "quiet", end time in s), ...]; during "quiet"
    phases there must be no kernel left (the split scheme drops the input).
    Returns {observable: max |a - b| / |b|}, and the sample times and values.
    """
    import roadrunner
    # Brian2's clock does not move through a quiet phase: later events are moved
    # back by the quiet time (as the runner's compressed sweeps do)
    shift_pre, shift_post, last = pre.copy(), post.copy(), 0.0
    for kind, t_end in phases:
        if kind == "quiet":
            shift_pre[pre >= t_end] -= t_end - last
            shift_post[post >= t_end] -= t_end - last
        last = t_end
    if not (np.isfinite(gain) and gain > 0):
        raise ValueError(f"gain must be a positive number, got {gain!r}")
    inputs = {name: f"{float(gain)!r} * ({formula})" for name, formula in INPUTS.items()}
    samples = _brian2_run(net, shift_pre, shift_post, phases, dt, substeps, sample_every, implicit,
                          inputs=inputs)
    events = [(t, "s_nmda", 1.0) for t in pre] + [(t, "s_vgcc", 1.0) for t in post]
    rr = roadrunner.RoadRunner(to_sbml(net, drive={"kernels": KERNELS, "inputs": inputs,
                                                   "events": events}))
    rr.integrator.relative_tolerance = 1e-8
    # 1e-12 stalled CVODE in the spine's first window (its step fell to 2e-16 s near
    # t = 1000.184 s) once CaMKII's binding of free sites was gated; 1e-16 runs through
    rr.integrator.absolute_tolerance = 1e-16
    rr.integrator.maximum_num_steps = 10 ** 6
    ids = net.species_ids
    worst = {o: 0.0 for o in observables}
    t_prev = 0.0
    rows = []
    for t, state in samples:
        if t > t_prev:
            rr.simulate(t_prev, t, 2)
        t_prev = t
        ref = {sid: np.array([rr[f"[{sid}]"]]) for sid in ids}
        row = {"t": t}
        for o in observables:
            a, b = float(net.evaluate(o, state)[0]), float(net.evaluate(o, ref)[0])
            worst[o] = max(worst[o], abs(a - b) / max(abs(b), 1e-12))
            row[o] = (a, b)
        rows.append(row)
    return worst, rows


def _brian2_run(net, pre, post, phases, dt, substeps, sample_every, implicit=(), n_rows=1,
                compile_args=("-w", "-O0", "-std=c++11"), inputs=None):
    """Brian2 time runs only through active phases; quiet phases go to the stiff solver."""
    inputs = INPUTS if inputs is None else inputs
    from ..simulate import runtime_device
    runtime_device()
    prefs.codegen.target = "cython"
    prefs.codegen.cpp.extra_compile_args_gcc = list(compile_args)
    eqs = net.euler_equations()
    eqs += "".join(f"d{k}/dt = -{k} / ({tau!r}*second) : 1\n" for k, tau in KERNELS.items())
    eqs += "".join(f"{name}_in = ({formula}) * umolar/second : mmolar/second\n"
                   f"{name}_start : mmolar/second\n{name} : mmolar/second\n"
                   for name, formula in inputs.items())
    g = NeuronGroup(n_rows, eqs, method="exact", dt=dt, namespace={})
    for sid, c0 in net.initial_state().items():
        setattr(g, sid, c0)
    # as in the runner: influx averaged over the step (trapezoid), chemistry at the step's end
    g.run_regularly("".join(f"{n}_start = {n}_in\n" for n in inputs), dt=dt, when="before_groups",
                    order=10)
    g.run_regularly("".join(f"{n} = 0.5 * ({n}_start + {n}_in)\n" for n in inputs)
                    + net.euler_code(substeps, net.parameters, implicit), dt=dt, when="end", order=-2)
    objects = [g]
    for k, times in (("s_nmda", pre), ("s_vgcc", post)):
        gen = SpikeGeneratorGroup(1, np.zeros(len(times), int), times * second, dt=dt)
        syn = Synapses(gen, g, on_pre=f"{k}_post += 1", dt=dt)
        syn.connect()
        # the kick at the start of its step, before the kernel decays (an SBML event
        # at t sets the kernel at t): then the trapezoid of the step is that of
        # the exact kernel
        syn.pre.when = "before_groups"
        objects += [gen, syn]
    network = Network(*objects)
    chem = GroupChemistry(net, g, {})           # the production tolerances
    samples, t_real = [], 0.0
    for kind, t_end in phases:
        if kind == "active":
            while t_real < t_end - 1e-9:
                step = min(sample_every, t_end - t_real)
                network.run(step * second)
                t_real += step
                samples.append((t_real, chem.state()))
        else:
            chem.advance(t_end - t_real)
            t_real = t_end
            samples.append((t_real, chem.state()))
    return samples


__all__ = ["compare", "jang_trains", "KERNELS", "INPUTS"]
