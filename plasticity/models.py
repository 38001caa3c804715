"""Named models: a neuron, a synapse and a plasticity rule with one parameter set.

A :class:`Model` is pure description (equation strings, parameter specs, the
learning code and its clock); :mod:`plasticity.simulate` turns it into Brian2
objects.  New models register with :func:`register`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .parameters import Parameters, Spec
from . import neuron, spine, kinase, expression


class UnknownNameError(KeyError):
    """An unknown protocol, model, condition or manipulation name."""

    def __str__(self):  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Model:
    """One row's equations: neuron and spine integrate together in one NeuronGroup.

    ``on_pre`` is run by the Synapses object that delivers presynaptic pulses
    (variables of the row carry the ``_post`` suffix there).  ``learning_code``
    runs every ``learning_period`` (name of a shared parameter).
    """

    name: str
    summary: str
    specs: tuple
    equations: str
    threshold: str
    reset: str
    refractory: str
    on_pre: str
    learning_code: str
    learning_period: str
    method: str = "euler"
    initial: dict = field(default_factory=dict)   # variable -> expression or value
    trace_variables: tuple = ("ca", "CaP", "CaD")
    #: variable -> largest |value| allowed where the runner compresses a quiet
    #: sweep tail (the fast state must be back at rest there)
    rest: dict = field(default_factory=dict)
    learning_variable: str | None = "w_L"   # changed by the learning code
    expressed_variable: str = "w_expr"      # what probes read (relative strength)
    recorded_potential: str = "v"           # somatic potential for EPSPs
    parameter_values: dict = field(default_factory=dict)
    #: a reaction network integrated with the row (its species are state
    #: variables); the runner settles it before t = 0 and advances it through
    #: the real time of compressed sweeps with a stiff solver
    chemistry: object = None
    #: the model's own time step (None: the runner's default)
    dt: object = None
    settle_time: object = None
    #: per-row constants set from the settled state: {variable: observable}
    references: dict = field(default_factory=dict)
    #: further variables recorded at the end of every sweep
    sweep_variables: tuple = ()
    #: forward-Euler chemistry steps per step of ``dt`` (see ReactionNetwork.euler_code)
    chemistry_substeps: int = 1
    #: chemistry steps per ``dt`` from the first to the last induction sweep (None: as
    #: ``chemistry_substeps``); the rest of the run (single test pulses, quiet rest)
    #: keeps ``chemistry_substeps``
    chemistry_induction_substeps: int | None = None
    #: species stepped linearly implicitly (their own fast decay; see euler_code)
    chemistry_implicit: tuple = ()
    #: code run at the start of each step (e.g. store the influx, or gate a noise
    #: term: Brian2's Euler-Maruyama needs noise that depends on no state variable),
    #: and code that sets the chemistry's inputs before its steps, which run at the
    #: step's end
    chemistry_start: str = ""
    chemistry_input: str = ""
    #: C compiler flags for this model's generated code (None: Brian2's)
    compile_args: tuple | None = None
    #: test pulses this model's synapse needs before its baseline is steady (a time at
    #: the protocol's probe rate; protocols with a ``conditioning`` parameter use it
    #: unless it is set explicitly); 0 s: none
    conditioning: object = None
    #: code run by a second relay of the presynaptic pulses, delayed by the per-row
    #: parameter named second (e.g. Graupner & Brunel's presynaptic Ca2+ delay D)
    on_pre_delayed: tuple | None = None
    #: named parameter sets {name: {parameter: value}} (``--params NAME``)
    parameter_sets: dict = field(default_factory=dict)

    @property
    def parameters(self) -> Parameters:
        return Parameters(self.specs, self.parameter_values, owner=self.name)

    def with_parameters(self, params: Parameters) -> "Model":
        if params.owner != self.name:
            raise ValueError(f"parameters are for model '{params.owner}', not '{self.name}'")
        values = {k: params[k] for k in params}
        return Model(**{**self.__dict__, "parameter_values": values})

    def load_parameters(self, path) -> Parameters:
        """A parameter file, or the name of one of the model's published parameter sets."""
        if str(path) in self.parameter_sets:
            return Parameters(self.specs, {**self.parameter_values, **self.parameter_sets[str(path)]},
                              owner=self.name)
        return Parameters.load(path, self.specs, owner=self.name)


_REGISTRY: dict[str, Model] = {}
_LAZY: dict = {}


def register(model: Model) -> Model:
    _REGISTRY[model.name] = model
    return model


def get_model(name: str) -> Model:
    if name not in _REGISTRY and name in _LAZY:
        register(_LAZY[name]())
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownNameError(
            f"unknown model '{name}'; known models: {', '.join(model_names())}") from None


def model_names() -> list[str]:
    return sorted(set(_REGISTRY) | set(_LAZY))


def _kinase_model() -> Model:
    specs = tuple(neuron.NEURON_SPECS + spine.SPINE_SPECS + spine.VGCC_SPECS
                  + kinase.KINASE_SPECS + kinase.THETA_SPECS + expression.EXPRESSION_SPECS)
    return Model(
        name="kinase",
        summary="CA1 two-compartment AdEx + AMPA/NMDA spine Ca, CaM->CaP->CaD cascade "
                "(Axon kinase rule), first-order expression",
        specs=specs,
        equations=neuron.NEURON_EQUATIONS + spine.SPINE_EQUATIONS + spine.VGCC_EQUATIONS
        + kinase.KINASE_EQUATIONS + expression.EXPRESSION_EQUATIONS,
        threshold=neuron.NEURON_THRESHOLD,
        reset="\n".join([neuron.NEURON_RESET, spine.VGCC_RESET]),
        refractory=neuron.NEURON_REFRACTORY,
        on_pre="\n".join([spine.SPINE_ON_PRE, kinase.KINASE_ON_PRE]),
        learning_code=kinase.KINASE_LEARNING,
        learning_period="theta_period",
        initial={"v": "E_L", "v_d": "E_L", "w_L": "w_L0", "w_expr": "2*w_L0"},
        rest={"w_ad": 1e-12, "bap": 1e-3, "ca_vgcc": 1e-3,             # amp, 1, 1
              "s_nmda": 1e-2, "CaP": 1e-3, "CaD": 1e-3, "x_trace": 1e-3},
    )


register(_kinase_model())


def _spine_model(name: str) -> Model:
    from . import spine_model
    return spine_model.build(name)


# built on first use: compiling the reaction tables takes a moment
_LAZY["spine"] = lambda: _spine_model("spine")
_LAZY["urakubo2008"] = lambda: _spine_model("urakubo2008")


def _rule_model(name: str) -> Model:
    from .rules import models as rule_models
    return rule_models.build(name)


for _name in ("stdp", "gb2012", "bcm"):
    _LAZY[_name] = lambda _name=_name: _rule_model(_name)

__all__ = ["Model", "UnknownNameError", "get_model", "model_names", "register", "Spec"]
