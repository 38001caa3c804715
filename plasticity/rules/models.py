"""The comparison rules as models: the toolkit neuron and synapse with another plasticity rule.

Each is the same CA1 two-compartment neuron (:mod:`plasticity.neuron`) and
AMPA/NMDA synapse (:mod:`plasticity.spine`, for the EPSP) as the ``kinase``
model, so that a protocol drives every rule with the same spikes; only the
learning differs:

* ``stdp``: pair-based STDP (:mod:`.stdp`), weight expressed with the
  toolkit's first-order expression;
* ``gb2012``: Graupner & Brunel 2012 calcium-threshold rule with its own
  calcium (:mod:`.gb2012`), a pathway of bistable synapses, every published
  parameter set by name (``--params DPD``);
* ``bcm``: spiking BCM with a sliding threshold (:mod:`.bcm`).
"""
from __future__ import annotations

from .. import neuron, spine, expression
from . import stdp, gb2012, bcm

SYNAPSE_NAMES = spine.SYNAPSE_SPEC_NAMES
SUMMARIES = {
    "stdp": "CA1 two-compartment AdEx + AMPA/NMDA synapse; pair-based STDP (NEST stdp_synapse: "
            "additive/multiplicative, all-to-all/nearest), first-order expression",
    "gb2012": "CA1 two-compartment AdEx + AMPA/NMDA synapse; Graupner & Brunel 2012 calcium-"
              "threshold rule (bistable synapses, published parameter sets by name)",
    "bcm": "CA1 two-compartment AdEx + AMPA/NMDA synapse; spiking BCM with a sliding threshold, "
           "first-order expression",
}
_REST = {"w_ad": 1e-12, "bap": 1e-3, "s_nmda": 1e-2}


def build(name: str):
    from ..models import Model
    synapse = [s for s in spine.SPINE_SPECS if s.name in SYNAPSE_NAMES]
    base = dict(name=name, summary=SUMMARIES[name], threshold=neuron.NEURON_THRESHOLD,
                refractory=neuron.NEURON_REFRACTORY, learning_code="", learning_period="",
                trace_variables=("s_nmda",))
    start = {"v": "E_L", "v_d": "E_L"}
    if name == "stdp":
        return Model(
            specs=tuple(neuron.NEURON_SPECS + synapse + stdp.STDP_SPECS + expression.EXPRESSION_SPECS),
            equations=neuron.NEURON_EQUATIONS + spine.SYNAPSE_EQUATIONS + stdp.STDP_EQUATIONS
            + expression.EXPRESSION_EQUATIONS,
            reset=neuron.NEURON_RESET + stdp.ON_POST.format(s=""),
            on_pre=spine.SPINE_ON_PRE + stdp.ON_PRE.format(s="_post"),
            initial={**start, **stdp.INITIAL, "w_expr": "2*w_L0"},
            rest=dict(_REST), learning_variable="w_L", parameter_sets=stdp.PARAMETER_SETS, **base)
    if name == "gb2012":
        sets = gb2012.parameter_sets()
        return Model(
            specs=tuple(neuron.NEURON_SPECS + synapse + gb2012.GB_SPECS),
            equations=neuron.NEURON_EQUATIONS + spine.SYNAPSE_EQUATIONS + gb2012.equations(),
            reset=neuron.NEURON_RESET + gb2012.ON_POST,
            on_pre=spine.SPINE_ON_PRE, on_pre_delayed=(gb2012.ON_PRE_DELAYED, "D_delay"),
            initial={**start, **gb2012.initial()},
            rest={**_REST, "c_gb": 1e-3}, learning_variable=None,
            sweep_variables=("T_d", "T_p", "rho_mean"), parameter_sets=sets,
            chemistry_start=gb2012.GATES,
            **{**base, "trace_variables": ("c_gb", "rho_mean")})
    if name == "bcm":
        return Model(
            specs=tuple(neuron.NEURON_SPECS + synapse + bcm.BCM_SPECS + expression.EXPRESSION_SPECS),
            equations=neuron.NEURON_EQUATIONS + spine.SYNAPSE_EQUATIONS + bcm.BCM_EQUATIONS
            + expression.EXPRESSION_EQUATIONS,
            reset=neuron.NEURON_RESET + bcm.BCM_ON_POST,
            on_pre=spine.SPINE_ON_PRE + bcm.BCM_ON_PRE,
            initial={**start, **bcm.BCM_INITIAL, "w_expr": "2*w_L0"},
            rest={**_REST, "rate_in": 0.05, "rate_out": 0.05}, learning_variable="w_L",
            **{**base, "trace_variables": ("rate_in", "rate_out", "theta_M")})
    raise KeyError(name)


__all__ = ["build", "SUMMARIES"]
