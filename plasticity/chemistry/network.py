"""Species, reactions, enzymes, diffusion and inputs; their compilation to equations.

Conventions (those of Urakubo et al 2008 restated in concentrations, see
../shared/research/urakubo_kinase_spec.md section 0.2):

* concentrations in umolar, time in seconds, volumes in femtolitres (um^3);
* a :class:`Reaction` lies in one compartment: its flux
  ``v = kf prod[reactants] - kb prod[products]`` is in concentration per time;
  ``kf`` has the unit concentration^(1 - order) / time (so 1/s for A -> B,
  1/(uM s) for A + B -> C), checked at construction;
* an :class:`Enzyme` with ``explicit_complex=True`` becomes
  E + S <-> ES -> E + P with k1 = (k_-1 + kcat)/Km and k_-1 = ``ratio`` x kcat
  (Urakubo's convention k_-1/kcat = 4); otherwise a Michaelis-Menten flux
  ``kcat [E][S]/(Km + [S])`` that leaves the enzyme untouched;
* a :class:`Diffusion` moves one molecule between two compartments with the
  amount flux ``P_ab [a] - P_ba [b]`` (P a volume per time); each side's
  concentration changes by the flux over its own volume;
* an :class:`Input` adds a flux (concentration per time) given as a Brian2
  expression of outside variables (e.g. Ca2+ influx computed by the neuron);
* an :class:`Observable` names an expression of species (a Brian2
  subexpression; e.g. the fraction of CaMKII subunits that are active);
* a :class:`Conversion` turns a substrate into a product (one compartment)
  with a first-order rate that is an expression of species, observables and
  its own parameters: ``v = rate(x) [substrate]``.  It carries the rules that
  are not mass action (CaMKII T286 autophosphorylation between neighbouring
  subunits, catalysis by a weighted sum of kinase forms); the rate's unit
  (1/s) is checked when the table is built.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import sympy
from brian2 import Quantity, second, umolar, metre, litre
from brian2.units.fundamentalunits import (get_dimensions, get_unit, have_same_dimensions,
                                           DimensionMismatchError)

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
fl = 1e-15 * litre


def _file_unit(dims):
    """The unit, in uM, s and litres, of a quantity with dimensions ``dims`` (for SBML numbers)."""
    mol, length, time = (dims.get_dimension(k) for k in ("mol", "m", "s"))
    litres = (length + 3 * mol) / 3
    if any(dims.get_dimension(k) for k in ("kg", "A", "K", "cd")) or litres != int(litres):
        raise ChemistryError(f"a rate parameter cannot have dimensions {dims}")
    return umolar ** mol * litre ** int(litres) * second ** time


def _literal(value) -> str:
    """A quantity as a Brian2 code literal in SI base units, e.g. ``(2.5e-06*metre**3/mole/second)``."""
    dims = get_dimensions(value)
    number = float(np.asarray(value))
    parts = [f"{name}**{dims.get_dimension(key):g}" for key, name in
             (("m", "metre"), ("kg", "kilogram"), ("s", "second"), ("A", "amp"), ("mol", "mole"))
             if dims.get_dimension(key) != 0]
    return f"({number!r}*{'*'.join(parts)})" if parts else f"({number!r})"


class ChemistryError(ValueError):
    """A reaction table is inconsistent: unknown species, wrong units, impossible values."""


def _check_id(kind, name):
    if not isinstance(name, str) or not _ID.match(name):
        raise ChemistryError(f"{kind} name '{name}' must be an identifier (letters, digits, _)")


def _check_quantity(where, value, unit, unit_name, allow_zero=True):
    if not have_same_dimensions(value, unit):
        raise ChemistryError(f"{where}: expected a value in {unit_name}, got {value!r} "
                             f"(dimensions {get_dimensions(value)})")
    number = float(np.asarray(value / unit))
    if not np.isfinite(number):
        raise ChemistryError(f"{where}: {value!r} is not finite")
    if number < 0 or (number == 0 and not allow_zero):
        raise ChemistryError(f"{where}: must be {'>' if not allow_zero else '>='} 0, got {value!r}")
    return number


@dataclass(frozen=True)
class Compartment:
    name: str
    volume: Quantity

    def __post_init__(self):
        _check_id("compartment", self.name)
        _check_quantity(f"compartment '{self.name}' volume", self.volume, fl, "femtolitre",
                        allow_zero=False)


@dataclass(frozen=True)
class Species:
    """A molecular state in one compartment; its id is ``name_compartment``."""

    name: str
    compartment: str
    initial: Quantity = field(default_factory=lambda: 0 * umolar)
    source: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}_{self.compartment}"

    def __post_init__(self):
        _check_id("species", self.name)
        _check_quantity(f"species '{self.id}' initial concentration", self.initial, umolar, "umolar")


@dataclass(frozen=True)
class Reaction:
    """Mass action ``reactants <-> products`` (ids) in one compartment.

    A species may appear on both sides (a catalyst: it sets the rate and is
    not consumed) or more than once on a side (its power in the rate law).
    ``rates``: reactions with the same non-empty ``rates`` share their rate
    constants, named ``kf_<rates>`` and ``kb_<rates>`` (each reaction must then
    give the same values); otherwise they are ``kf_<label>`` and ``kb_<label>``.
    ``bounded`` (irreversible reactions only): the explicit steps of
    :meth:`ReactionNetwork.euler_code` take this flux as the exact decay of the
    first reactant over the step at the step's other concentrations,
    ``R1 (1 - exp(-h k R2 ...)) / h``, so a steep rate law cannot take more of
    it than there is; to first order in ``h`` this is the mass-action flux,
    which every other integrator (the stiff solver, SBML) uses.
    """

    label: str
    reactants: tuple
    products: tuple
    kf: Quantity
    kb: Quantity | None = None
    source: str = ""
    rates: str = ""
    bounded: bool = False


@dataclass(frozen=True)
class Enzyme:
    label: str
    enzyme: str
    substrate: str
    product: str
    kcat: Quantity
    Km: Quantity
    explicit_complex: bool = True
    ratio: float = 4.0          # k_-1 / kcat (Urakubo et al 2008 convention)
    source: str = ""


@dataclass(frozen=True)
class Diffusion:
    label: str
    a: str
    b: str
    p_ab: Quantity              # volume per time
    p_ba: Quantity | None = None
    source: str = ""


@dataclass(frozen=True)
class Input:
    """An outside flux into a species (concentration per time), a Brian2 expression."""

    species: str
    expression: str
    source: str = ""


@dataclass(frozen=True)
class Observable:
    """A named expression of species ids (and other observables defined before it)."""

    name: str
    expression: str
    source: str = ""


@dataclass(frozen=True)
class Conversion:
    """``substrate -> product`` at ``rate [substrate]``; ``rate`` (1/s) is an expression.

    ``product=None`` removes the substrate (degradation: the species is then
    not conserved).

    ``parameters`` maps the names used in ``rate`` to quantities; they become
    named parameters ``<label>_<name>`` of the network.
    """

    label: str
    substrate: str
    product: str | None
    rate: str
    parameters: dict = field(default_factory=dict)
    source: str = ""


@dataclass
class ReactionNetwork:
    """A checked reaction table: compiles to Brian2 equations, conservation laws and SBML."""

    compartments: list
    species: list
    reactions: list = field(default_factory=list)
    enzymes: list = field(default_factory=list)
    diffusions: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    conversions: list = field(default_factory=list)
    observables: list = field(default_factory=list)

    def __post_init__(self):
        self._comp = {}
        for c in self.compartments:
            if c.name in self._comp:
                raise ChemistryError(f"compartment '{c.name}' defined twice")
            self._comp[c.name] = c
        self._species = {}
        for s in self.species:
            if s.compartment not in self._comp:
                raise ChemistryError(f"species '{s.id}': unknown compartment '{s.compartment}'")
            if s.id in self._species:
                raise ChemistryError(f"species '{s.id}' defined twice")
            self._species[s.id] = s
        labels = set()
        for item in [*self.reactions, *self.enzymes, *self.diffusions, *self.conversions]:
            _check_id("reaction", item.label)
            if item.label in labels:
                raise ChemistryError(f"reaction label '{item.label}' used twice")
            labels.add(item.label)
        self._fluxes = []          # (label, rate expression, {species id: amount coefficient in fl})
        self._bounded = {}         # label -> (first reactant, rate / first reactant): Reaction.bounded
        self._parameters = {}      # name -> Quantity
        self._sources = {}         # name -> where it comes from (reaction label and source)
        self._units = {}           # name -> unit in uM, s, litre (SBML file numbers)
        for r in self.reactions:
            self._add_reaction(r)
        for e in self.enzymes:
            self._add_enzyme(e)
        for d in self.diffusions:
            self._add_diffusion(d)
        for inp in self.inputs:
            self._known(inp.species, "input")
        self._observables = {}     # name -> (expression, dimensions)
        for o in self.observables:
            self._add_observable(o)
        for c in self.conversions:
            self._add_conversion(c)
        self._attach_sources()

    def _attach_sources(self):
        """Every parameter's source: the table entry's citation, else where it was made."""
        names = {}
        for r in self.reactions:
            base = r.rates or r.label
            names.update({f"kf_{base}": r.source, f"kb_{base}": r.source})
        for e in self.enzymes:
            names.update({f"{k}_{e.label}{x}": e.source for k, x in
                          [("kf", "_bind"), ("kb", "_bind"), ("kf", "_cat"), ("kcat", ""), ("Km", "")]})
        for d in self.diffusions:
            names.update({f"pf_{d.label}": d.source, f"pb_{d.label}": d.source})
        for c in self.conversions:
            names.update({f"{c.label}_{n}": c.source for n in c.parameters})
        for name in self._parameters:
            if names.get(name):
                self._sources[name] = names[name]

    # construction -------------------------------------------------------
    def _known(self, sid, where):
        if sid not in self._species:
            raise ChemistryError(f"{where}: unknown species '{sid}'; known: {', '.join(self._species)}")
        return self._species[sid]

    def _compartment_of(self, ids, where):
        comps = {self._known(s, where).compartment for s in ids}
        if len(comps) != 1:
            raise ChemistryError(f"{where}: all species must be in one compartment, got {sorted(comps)}")
        return comps.pop()

    def _rate_param(self, name, value, order, where, shared=False):
        unit = umolar ** (1 - order) / second
        unit_name = {0: "umolar/second", 1: "1/second", 2: "1/(umolar*second)"}.get(
            order, f"umolar^{1 - order}/second")
        _check_quantity(where, value, unit, unit_name)
        if shared and name in self._parameters:
            if self._units[name] != unit or float(self._parameters[name] / unit) != float(value / unit):
                raise ChemistryError(f"{where}: shared rate constant '{name}' is "
                                     f"{self._parameters[name]} in '{self._sources[name]}', "
                                     f"here {value} (reactions sharing rates must agree)")
            return name
        self._parameters[name] = value
        self._units[name] = unit
        self._sources[name] = where
        return name

    def _mass_action(self, label, reactants, products, kf, kb, where, rates="", bounded=False):
        comp = self._compartment_of([*reactants, *products], where)
        if bounded and (kb is not None or not reactants):
            raise ChemistryError(f"{where}: only an irreversible reaction with reactants can be "
                                 "bounded")
        volume = float(self._comp[comp].volume / fl)
        base = rates or label
        kf_name = self._rate_param(f"kf_{base}", kf, len(reactants), f"{where} kf", bool(rates))
        terms = [f"{kf_name}*" + "*".join(reactants) if reactants else kf_name]
        if kb is not None:
            kb_name = self._rate_param(f"kb_{base}", kb, len(products), f"{where} kb", bool(rates))
            terms.append(f"- {kb_name}*" + "*".join(products) if products else f"- {kb_name}")
        net = {}             # net stoichiometry, exact (a catalyst gets 0)
        for s in reactants:
            net[s] = net.get(s, 0) - 1
        for s in products:
            net[s] = net.get(s, 0) + 1
        self._fluxes.append((label, " ".join(terms), {s: n * volume for s, n in net.items()}))
        if bounded:
            self._bounded[label] = (reactants[0], "*".join((kf_name,) + tuple(reactants[1:])))

    def _add_reaction(self, r: Reaction):
        where = f"reaction '{r.label}'"
        if not r.reactants and not r.products:
            raise ChemistryError(f"{where}: no species")
        if r.rates:
            _check_id("rates", r.rates)
        self._mass_action(r.label, tuple(r.reactants), tuple(r.products), r.kf, r.kb, where, r.rates,
                          r.bounded)

    def _add_enzyme(self, e: Enzyme):
        where = f"enzyme '{e.label}'"
        comp = self._compartment_of([e.enzyme, e.substrate, e.product], where)
        kcat = _check_quantity(f"{where} kcat", e.kcat, 1 / second, "1/second")
        km = _check_quantity(f"{where} Km", e.Km, umolar, "umolar", allow_zero=False)
        if e.explicit_complex:
            cid = f"{e.label}_complex_{comp}"
            if cid not in self._species:
                s = Species(f"{e.label}_complex", comp)
                self._species[cid] = s
                self.species.append(s)
            km1 = e.ratio * kcat
            self._mass_action(f"{e.label}_bind", (e.enzyme, e.substrate), (cid,),
                              (km1 + kcat) / km / umolar / second, km1 / second, where)
            self._mass_action(f"{e.label}_cat", (cid,), (e.enzyme, e.product), kcat / second, None,
                              where)
        else:
            volume = float(self._comp[comp].volume / fl)
            self._parameters[f"kcat_{e.label}"] = e.kcat
            self._parameters[f"Km_{e.label}"] = e.Km
            self._units.update({f"kcat_{e.label}": 1 / second, f"Km_{e.label}": umolar})
            rate = f"kcat_{e.label}*{e.enzyme}*{e.substrate}/(Km_{e.label} + {e.substrate})"
            self._fluxes.append((e.label, rate, {e.substrate: -volume, e.product: volume}))

    def _add_diffusion(self, d: Diffusion):
        where = f"diffusion '{d.label}'"
        a, b = self._known(d.a, where), self._known(d.b, where)
        if a.name != b.name or a.compartment == b.compartment:
            raise ChemistryError(f"{where}: must join one molecule in two compartments")
        unit = metre ** 3 / second
        _check_quantity(f"{where} p_ab", d.p_ab, unit, "volume/second")
        self._parameters[f"pf_{d.label}"] = d.p_ab
        self._units[f"pf_{d.label}"] = litre / second
        rate = f"pf_{d.label}*{d.a}"
        if d.p_ba is not None:
            _check_quantity(f"{where} p_ba", d.p_ba, unit, "volume/second")
            self._parameters[f"pb_{d.label}"] = d.p_ba
            self._units[f"pb_{d.label}"] = litre / second
            rate += f" - pb_{d.label}*{d.b}"
        # the rate is an amount flux (umolar * volume / time): coefficients are +-1
        self._fluxes.append((d.label, rate, {d.a: -1.0, d.b: 1.0}))

    def _dimensions_of(self, expression, where, extra=None):
        """Evaluate ``expression`` with every species at 1 uM; return its dimensions."""
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression)) - {"abs", "exp", "sqrt"}
        env = {"abs": abs, "exp": np.exp, "sqrt": np.sqrt}
        for n in names:
            if n in self._species:
                env[n] = 1.0 * umolar
            elif n in self._observables:
                env[n] = 1.0 * get_unit(self._observables[n][1])
            elif extra and n in extra:
                env[n] = extra[n]
            else:
                raise ChemistryError(f"{where}: unknown name '{n}' in '{expression}' (not a species, "
                                     f"observable or parameter)")
        try:
            value = eval(expression, {"__builtins__": {}}, env)  # names checked above
        except DimensionMismatchError as err:
            raise ChemistryError(f"{where}: units do not match in '{expression}': {err}") from None
        except Exception as err:
            raise ChemistryError(f"{where}: cannot evaluate '{expression}': {err}") from None
        return get_dimensions(value)

    def _add_observable(self, o: Observable):
        where = f"observable '{o.name}'"
        _check_id("observable", o.name)
        if o.name in self._observables or o.name in self._species:
            raise ChemistryError(f"{where}: name used twice")
        self._observables[o.name] = (o.expression, self._dimensions_of(o.expression, where))

    def _add_conversion(self, c: Conversion):
        where = f"conversion '{c.label}'"
        self._compartment_of([c.substrate] + ([c.product] if c.product else []), where)
        comp = self._species[c.substrate].compartment
        local = {}
        for name, value in c.parameters.items():
            _check_id("parameter", name)
            if not isinstance(value, Quantity):
                value = Quantity(value)
            number = np.asarray(value / get_unit(get_dimensions(value)), dtype=float)
            if not np.all(np.isfinite(number)) or np.any(number < 0):
                raise ChemistryError(f"{where}: parameter '{name}' must be finite and >= 0, got {value!r}")
            local[name] = value
        dims = self._dimensions_of(c.rate, where, local)
        if dims != get_dimensions(1 / second):
            raise ChemistryError(f"{where}: the rate '{c.rate}' must be in 1/second, it has "
                                 f"dimensions {dims}")
        rate = c.rate
        for name, value in local.items():
            full = f"{c.label}_{name}"
            self._parameters[full] = value
            self._units[full] = _file_unit(get_dimensions(value))
            rate = re.sub(rf"\b{name}\b", full, rate)
        volume = float(self._comp[comp].volume / fl)
        coeff = {c.substrate: -volume}
        if c.product:
            coeff[c.product] = volume
        self._fluxes.append((c.label, f"({rate})*{c.substrate}", coeff))

    def expand(self, expression: str) -> str:
        """``expression`` with observables written out (for engines without subexpressions)."""
        for name in reversed(list(self._observables)):
            expression = re.sub(rf"\b{name}\b", f"({self._observables[name][0]})", expression)
        return expression

    @property
    def observable_definitions(self) -> dict:
        """name -> (expression, Brian2 unit string), in definition order."""
        out = {}
        for name, (expr, dims) in self._observables.items():
            unit = get_unit(dims)
            out[name] = (expr, "1" if dims == get_dimensions(1) else repr(unit))
        return out

    # products -------------------------------------------------------------
    def species_by_id(self, sid) -> Species:
        return self._known(sid, "lookup")

    @property
    def fluxes(self) -> list:
        """(label, Brian2 rate expression, {species id: coefficient}) per flux."""
        return list(self._fluxes)

    @property
    def species_ids(self) -> list:
        return list(self._species)

    @property
    def parameters(self) -> dict:
        return dict(self._parameters)

    def with_parameters(self, values: dict, source: str = "") -> "ReactionNetwork":
        """A copy in which the named rate constants take new values (the reactions, and so the
        equations and conservation laws, are the same); ``source`` replaces their sources."""
        import copy
        unknown = sorted(set(values) - set(self._parameters))
        if unknown:
            raise ChemistryError(f"unknown rate constants {unknown}")
        for name, value in values.items():
            _check_quantity(f"rate constant '{name}'", value, self._units[name],
                            str(self._units[name]))
        new = copy.copy(self)
        new._parameters = {**self._parameters, **values}
        new._sources = {**self._sources, **({n: source for n in values} if source else {})}
        return new

    def parameter_unit(self, name):
        """The unit (uM, s, litre based) a parameter is written in (SBML file, Spec)."""
        return self._units[name]

    def parameter_source(self, name) -> str:
        return self._sources.get(name, "")

    def parameter_in_file_units(self, name) -> float:
        """A parameter's number in uM, s and litres (the SBML file's units)."""
        return float(self._parameters[name] / self._units[name])

    def initial_state(self) -> dict:
        return {sid: s.initial for sid, s in self._species.items()}

    def volume(self, sid) -> float:
        """Volume (fl) of the compartment of species ``sid``."""
        return float(self._comp[self._species[sid].compartment].volume / fl)

    def stoichiometry(self) -> tuple:
        """(species ids, flux labels, N) with dn/dt = N v in amounts (umolar * fl)."""
        ids = self.species_ids
        labels = [f[0] for f in self._fluxes]
        N = np.zeros((len(ids), len(labels)))
        for j, (_, _, coeff) in enumerate(self._fluxes):
            for sid, c in coeff.items():
                N[ids.index(sid), j] += c
        return ids, labels, N

    def _derivatives(self) -> dict:
        """{species id: Brian2 expression of its time derivative (mmolar/second)}."""
        ids = self.species_ids
        rhs = {sid: [] for sid in ids}
        amount_fluxes = {d.label for d in self.diffusions}
        for label, _, coeff in self._fluxes:
            for sid, c in coeff.items():
                vol = self.volume(sid)
                if label in amount_fluxes:
                    rhs[sid].append(f"({c:+.17g})*flux_{label}/({vol * 1e-18!r}*metre**3)")
                else:
                    rhs[sid].append(f"({c / vol:+.17g})*flux_{label}")
        for inp in self.inputs:
            rhs[inp.species].append(f"({inp.expression})")
        return {sid: (" + ".join(terms) if terms else "0*mmolar/second") for sid, terms in rhs.items()}

    def _flux_units(self) -> dict:
        amount_fluxes = {d.label for d in self.diffusions}
        return {label: "mmolar*metre**3/second" if label in amount_fluxes else "mmolar/second"
                for label, _, _ in self._fluxes}

    def equations(self) -> str:
        """Brian2 equations: one ``d<id>/dt`` per species (umolar), a flux subexpression each.

        Brian2 writes subexpressions out into every derivative that uses them;
        that is fine for small networks, but for a whole spine (a hundred and
        more species) the generated code does not compile in reasonable time:
        use :meth:`euler_equations` and :meth:`euler_code` there.
        """
        lines = [f"{name} = {expr} : {unit}" for name, (expr, unit) in self.observable_definitions.items()]
        units = self._flux_units()
        lines += [f"flux_{label} = {rate} : {units[label]}" for label, rate, _ in self._fluxes]
        lines += [f"d{sid}/dt = {body} : mmolar" for sid, body in self._derivatives().items()]
        return "\n".join(lines) + "\n"

    def euler_equations(self, recorded=()) -> str:
        """The species (and the ``recorded`` observables) as plain variables for :meth:`euler_code`."""
        defs = self.observable_definitions
        unknown = sorted(set(recorded) - set(defs))
        if unknown:
            raise ChemistryError(f"unknown observables {unknown}; known: {', '.join(defs)}")
        lines = [f"{sid} : mmolar" for sid in self.species_ids]
        lines += [f"{name} : {defs[name][1]}" for name in recorded]
        return "\n".join(lines) + "\n"

    def diagonal_jacobian(self, sid: str) -> str:
        """d(d[sid]/dt)/d[sid] as a Brian2 expression (1/second): for :meth:`euler_code`'s ``implicit``."""
        from brian2.parsing.sympytools import str_to_sympy, sympy_to_str
        self._known(sid, "diagonal_jacobian")
        rates = {label: self.expand(rate) for label, rate, _ in self._fluxes}
        body = re.sub(r"\bflux_([A-Za-z0-9_]+)\b", lambda m: f"({rates[m.group(1)]})",
                      self._derivatives()[sid])
        derivative = sympy.diff(str_to_sympy(body), sympy.Symbol(sid, real=True))
        return sympy_to_str(derivative) if derivative != 0 else "0/second"

    def euler_code(self, substeps: int = 1, constants: dict | None = None,
                   implicit=()) -> str:
        """Forward-Euler steps of the network as Brian2 abstract code.

        Observables and fluxes are temporaries (computed once, from the state at
        the start of the step), then every species advances by the step times
        its derivative: no per-flux arrays.  Run it every step with
        ``run_regularly(code, dt=dt, when='start')``.  Observables declared as
        variables by :meth:`euler_equations` are stored there by the same
        statements.  ``substeps`` > 1 repeats the step that many times with
        ``dt/substeps`` in one call (outside inputs held for the call): the
        generated code's fixed cost per call (fetching every array) is shared.
        ``constants`` ({parameter name: Quantity}) are written into the code as
        numbers: Brian2's cython code fetches every named constant from a
        dictionary on every call, which for the ~400 constants of the spine
        cost more than the step itself.  ``implicit`` names species that take a
        linearly implicit step instead, ``x += h f / (1 - h df/dx)``: their own
        decay is then stable at any step (free Ca2+ with its pumps, the fastest
        modes of the spine at 1.4e4 and 7e3 /s); the other species are not
        touched, so every conservation law without those species still holds
        to round-off.
        """
        if int(substeps) < 1:
            raise ChemistryError(f"substeps must be >= 1, got {substeps}")
        h = "dt" if int(substeps) == 1 else f"(dt/{int(substeps)})"
        state_names = set(self._species) | set(self._observables)

        def depends_on_state(expr):
            return bool(state_names & set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr)))
        # fluxes that do not depend on the state (zero-order sources) once, before the
        # steps: Brian2 wants writes to scalars before any write to a vector
        literal = {name: _literal(value) for name, value in (constants or {}).items()}
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, literal)) + r")\b") if literal else None

        def inline(expr):
            return pattern.sub(lambda m: literal[m.group(1)], expr) if pattern else expr
        once = [f"flux_{label} = {inline(rate)}" for label, rate, _ in self._fluxes
                if not depends_on_state(rate)]
        step = [f"{name} = {expr}" for name, (expr, _) in self.observable_definitions.items()]
        step += [f"flux_{label} = {inline(self._euler_flux(label, rate, h))}"
                 for label, rate, _ in self._fluxes if depends_on_state(rate)]
        implicit = list(implicit)
        for sid in implicit:
            self._known(sid, "euler_code(implicit=...)")
        step += [f"jdiag_{sid} = {inline(self.diagonal_jacobian(sid))}" for sid in implicit]
        step += [f"{sid} = {sid} + {h} * ({body})" + (f" / (1 - {h} * jdiag_{sid})" if sid in implicit else "")
                 for sid, body in self._derivatives().items()]
        return "\n".join(once + step * int(substeps)) + "\n"

    def _euler_flux(self, label, rate, h):
        """The flux a step of length ``h`` uses: the rate law, or for a bounded reaction the
        first reactant's exact decay over the step (:class:`Reaction`)."""
        if label not in self._bounded:
            return rate
        first, coefficient = self._bounded[label]
        return f"{first}*(1 - exp(-{h}*{coefficient}))/{h}"

    def evaluate(self, name: str, state: dict):
        """An observable's value (uM or dimensionless) from ``state`` {species id: array in uM}."""
        if name not in self._observables:
            raise ChemistryError(f"unknown observable '{name}'; known: {', '.join(self._observables)}")
        env = {"abs": np.abs, "exp": np.exp, "sqrt": np.sqrt, **state}
        for obs, (expr, _) in self._observables.items():
            env[obs] = eval(expr, {"__builtins__": {}}, env)  # names checked at construction
            if obs == name:
                return env[obs]

    def conservation_laws(self) -> list:
        """Conserved totals: a list of {species id: weight}; sum(weight x [species]) is constant.

        Computed exactly (rational arithmetic) as a basis of the left null space of
        the stoichiometry matrix in amounts, with fluxes that have an outside input
        excluded (their species are not conserved).
        """
        ids, _, N = self.stoichiometry()
        vols = np.array([self.volume(s) for s in ids])
        # work in molecule-like units (per fl) so that the matrix is integral for equal volumes
        M = sympy.Matrix([[sympy.nsimplify(N[i, j] / vols[i], rational=True)
                           for j in range(N.shape[1])] for i in range(N.shape[0])])
        rows = M.T.nullspace() if N.shape[1] else [sympy.eye(len(ids))[:, k] for k in range(len(ids))]
        forced = {inp.species for inp in self.inputs}
        laws = []
        if rows:
            basis = sympy.Matrix.hstack(*rows).T.rref()[0]
            for r in range(basis.rows):
                vec = basis.row(r)
                if all(v == 0 for v in vec):
                    continue
                law = {ids[k]: float(vec[k]) for k in range(len(ids)) if vec[k] != 0}
                if forced & set(law):
                    continue
                laws.append(law)
        return laws

    def describe_conservation(self) -> list:
        out = []
        for law in self.conservation_laws():
            out.append(" + ".join(f"[{s}]" if w == 1 else f"{w:g} [{s}]" for s, w in law.items()))
        return out


__all__ = ["Compartment", "Species", "Reaction", "Enzyme", "Diffusion", "Input", "Observable",
           "Conversion", "ReactionNetwork",
           "ChemistryError", "fl"]
