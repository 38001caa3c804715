"""Network description: layers, projections and their scaling, as plain data.

A network is a list of :class:`Layer` and a list of :class:`Projection`; nothing here touches
Brian2 (:mod:`networks.brian_network` builds the objects).  ``bidirectional(a, b, back=0.3)``
gives the forward projection and the weaker backward one, as Axon's ``BidirConnectLayers``
with BackPath Rel 0.3 (ra25).

Projection scaling follows Axon (spec section 2.2, axon_network_spec.md):
``GScale = Abs * Rel / sum(Rel of the receiver's projections) / expected active senders``,
with the expected active senders of a full projection ``max(1, round(nominal * n_sender))``
(ra25: Input -> Hidden1 1/4 x 1/1.3 = 0.19231, Hidden2 -> Hidden1 1/6 x 0.3/1.3 = 0.038462).
Initial weights (section 5.7): ``wt`` uniform in 0.5 +- 0.25, the slow weight
``swt = clip(0.5 + 0.5 (wt - 0.5), 0.2, 0.8)`` (0.5 into output layers, where all variance is
in the learning weight), ``lwt`` from the inverse sigmoid, and symmetric pairs: the backward
projection starts as the transpose of the forward one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from brian2 import ms, Quantity
from brian2.units.fundamentalunits import have_same_dimensions

from .rules import check_rule, lwt_from_wt

LAYER_KINDS = ("input", "hidden", "target")


class NetworkError(ValueError):
    """An impossible network description or task (names, sizes, values)."""


@dataclass(frozen=True)
class Layer:
    """A layer of Axon neurons with one inhibitory pool.

    ``kind``: ``input`` (clamped to the pattern all trial), ``hidden`` or ``target`` (free in
    the minus phase, clamped to the target in the plus phase).  ``gi``, ``fb``: the pool's
    inhibition gain and feedback weight; ``nominal``: expected fraction active (sets the
    scaling of its outgoing projections); ``refractory``: the soma's refractory period.
    """

    name: str
    n: int
    kind: str = "hidden"
    gi: float = 1.0
    fb: float = 1.0
    nominal: float = 0.1
    refractory: Quantity = field(default_factory=lambda: 3 * ms)

    def __post_init__(self):
        if not self.name or not self.name.isidentifier():
            raise NetworkError(f"layer name must be an identifier, got {self.name!r}")
        if not isinstance(self.n, (int, np.integer)) or self.n < 1:
            raise NetworkError(f"layer {self.name}: n must be a positive integer, got {self.n!r}")
        if self.kind not in LAYER_KINDS:
            raise NetworkError(f"layer {self.name}: unknown kind {self.kind!r}; known: {', '.join(LAYER_KINDS)}")
        for key in ("gi", "fb", "nominal"):
            value = getattr(self, key)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise NetworkError(f"layer {self.name}: {key} must be a finite number >= 0, got {value!r}")
        if not 0 < self.nominal <= 1:
            raise NetworkError(f"layer {self.name}: nominal activity must be in (0, 1], got {self.nominal}")
        if not (isinstance(self.refractory, Quantity) and have_same_dimensions(self.refractory, ms)):
            raise NetworkError(f"layer {self.name}: refractory must be a time, got {self.refractory!r}")
        if not 0 <= float(self.refractory / ms) <= 20:
            raise NetworkError(f"layer {self.name}: refractory must be within 0-20 ms, got {self.refractory}")


@dataclass(frozen=True)
class Projection:
    """A full projection ``pre`` -> ``post`` learning with ``rule``."""

    pre: str
    post: str
    rel: float = 1.0
    abs: float = 1.0
    rule: str = "kinase"
    back: bool = False

    def __post_init__(self):
        check_rule(self.rule)
        for key in ("rel", "abs"):
            value = getattr(self, key)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise NetworkError(f"projection {self.pre}->{self.post}: {key} must be > 0, got {value!r}")

    @property
    def name(self) -> str:
        return f"{self.pre}_to_{self.post}"


def bidirectional(a: str, b: str, back: float = 0.3, rule: str = "kinase"):
    """The forward projection a -> b (Rel 1) and the backward b -> a (Rel ``back``)."""
    return (Projection(a, b, rel=1.0, rule=rule),
            Projection(b, a, rel=back, rule=rule, back=True))


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


@dataclass(frozen=True)
class Network:
    """Layers and projections, validated; offsets of each layer in the flat neuron index."""

    layers: tuple
    projections: tuple
    offsets: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        layers, projections = tuple(self.layers), tuple(self.projections)
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "projections", projections)
        names = [layer.name for layer in layers]
        if len(set(names)) != len(names):
            raise NetworkError(f"duplicate layer names in {names}")
        if not any(layer.kind == "input" for layer in layers) or not any(
                layer.kind == "target" for layer in layers):
            raise NetworkError("a network needs at least one input and one target layer")
        seen = set()
        for proj in projections:
            for end in (proj.pre, proj.post):
                if end not in names:
                    raise NetworkError(f"projection {proj.pre}->{proj.post}: unknown layer {end!r}; "
                                       f"layers: {', '.join(names)}")
            if self.layer(proj.post).kind == "input":
                raise NetworkError(f"projection {proj.pre}->{proj.post}: input layers receive no projections")
            if (proj.pre, proj.post) in seen:
                raise NetworkError(f"duplicate projection {proj.pre}->{proj.post}")
            seen.add((proj.pre, proj.post))
        offsets, start = {}, 0
        for layer in layers:
            offsets[layer.name] = start
            start += layer.n
        object.__setattr__(self, "offsets", offsets)

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise NetworkError(f"unknown layer {name!r}; layers: {', '.join(l.name for l in self.layers)}")

    @property
    def n_neurons(self) -> int:
        return sum(layer.n for layer in self.layers)

    def indices(self, name: str) -> np.ndarray:
        return self.offsets[name] + np.arange(self.layer(name).n)

    def by_kind(self, kind: str):
        return [layer for layer in self.layers if layer.kind == kind]

    @property
    def rules(self) -> tuple:
        return tuple(sorted({p.rule for p in self.projections}))

    def gscale(self, proj: Projection) -> float:
        """Axon's projection scale (spec 2.2) for a full projection."""
        sender = self.layer(proj.pre)
        rel_sum = sum(p.rel for p in self.projections if p.post == proj.post)
        expected = max(1, _round_half_up(sender.nominal * sender.n))
        return proj.abs * proj.rel / rel_sum / expected

    def with_rule(self, rule: str) -> "Network":
        """The same network with every projection learning by ``rule``."""
        check_rule(rule)
        return Network(self.layers, tuple(Projection(p.pre, p.post, p.rel, p.abs, rule, p.back)
                                          for p in self.projections))

    def key(self) -> str:
        """A stable description of the architecture (what the compiled model depends on)."""
        parts = [f"{l.name}:{l.n}:{l.kind}:{l.gi}:{l.fb}:{l.nominal}:{float(l.refractory / ms)}"
                 for l in self.layers]
        parts += [f"{p.pre}>{p.post}:{p.rel}:{p.abs}:{p.rule}:{int(p.back)}" for p in self.projections]
        return "|".join(parts)


def initial_weights(net: Network, rng: np.random.Generator, mean=0.5, var=0.25, spct=0.5):
    """Initial (wt, lwt, swt) per projection as (n_pre, n_post) arrays (spec section 5.7).

    Backward projections of a bidirectional pair start as the transpose of the forward one.
    """
    out = {}
    for proj in net.projections:
        if proj.back and net.projections and any(
                p.pre == proj.post and p.post == proj.pre for p in net.projections):
            continue
        n_pre, n_post = net.layer(proj.pre).n, net.layer(proj.post).n
        wt = mean + var * 2 * (rng.random((n_pre, n_post)) - 0.5)
        pct = 0.0 if net.layer(proj.post).kind == "target" else spct
        swt = np.clip(mean + pct * (wt - mean), 0.2, 0.8)
        out[proj.name] = (wt, lwt_from_wt(wt, swt), swt)
    for proj in net.projections:
        if proj.name not in out:
            fwd = out[f"{proj.post}_to_{proj.pre}"]
            out[proj.name] = tuple(a.T.copy() for a in fwd)
    return out
