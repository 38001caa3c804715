"""A batched, linearly implicit (Rosenbrock) integrator for a :class:`ReactionNetwork`.

Brian2 has explicit integrators only; the spine network (stiffness ratio about
1e6: Ca2+ pumps at 1.2e4 /s next to CaN-CaM unbinding at 0.04 /s) needs
microsecond steps there.  :class:`StiffSolver` advances the same equations
through quiet periods (no outside input) with steps that grow to seconds, for
many independent rows (cells x parameter sets) at once, in numpy.

Usage::

    solver = StiffSolver(net)                     # once per network (sympy code generation)
    params = solver.default_params(n_rows)        # {name: array over rows}, file units
    params["kb_can0_cam_psd"][3] = 0.08           # e.g. vary one row
    x_new, info = solver.advance(x, params, 30.0, rtol=1e-5, atol=1e-9)

* ``x``: a dict ``{species id: float or array over rows}`` in uM (every species
  of ``net.species_ids``; the result is a dict of arrays), or an array of shape
  ``(n_species, n_rows)`` (or ``(n_species,)`` for one row) in
  ``net.species_ids`` order (the result has the same shape).
* ``params``: ``{parameter name: float or array over rows}`` in the file units
  of :meth:`ReactionNetwork.parameter_in_file_units` (uM, s, litre); names not
  given take their default; ``None`` means all defaults.
* ``info``: ``steps`` and ``rejected`` (int arrays over rows), ``iterations``
  (batched step attempts, the unit of cost), ``min_value`` (uM, the most
  negative concentration of any accepted state, 0.0 if none went negative)
  with ``min_species``, ``h_last`` (s, array over rows).
* Outside inputs (``net.inputs``, e.g. the Ca2+ influx ``J_ca_psd`` computed
  by the neuron) are taken as **zero**: ``advance`` is for the quiet periods
  between stimulation sweeps.
* Errors (:class:`StiffSolverError`, a ``ValueError``): non-finite state or
  parameters, negative duration, unknown parameter names or wrong shapes,
  step size underflow (the solution blows up or the tolerances cannot be met),
  more than ``max_steps`` batched steps.

Method (``method=``): "ros3" (default), the three-stage, third-order,
L-stable Rosenbrock method ROS3 of Sandu et al 1997 (Atmos Environ 31:3459)
with its embedded second-order solution, two evaluations of f and one LU per
step; or "ros2", the two-stage, second-order ROS2 of Verwer, Spee, Blom &
Hundsdorfer 1999 (SIAM J Sci Comput 20:1456) with the linearly implicit Euler
step as its (first-order) embedded solution.  Both for the autonomous
x' = f(x), written as

    (I - gamma h J) k_i = gamma (f(x + h sum_j a_ij k_j) + sum_j c_ij k_j)
    x_n+1 = x_n + h sum_i m_i k_i,       error estimate e = h sum_i e_i k_i

with the exact Jacobian J = df/dx at x_n.  Each row has its own step size,
controlled on the weighted RMS norm
``sqrt(mean((e_i / (atol + rtol max(|x_n,i|, |x_n+1,i|)))^2))`` with
``h_new = h min(5, max(0.2, 0.9 err^(-1/order)))`` (order 3 for ROS3, 2 for
ROS2; no growth after a rejection).  The rows advance together (one batched
step is one step of every unfinished row, each with its own h), so a row's
result does not depend on the other rows in the batch (up to round-off in the
batched linear algebra).  Measured on a spine state 0.4 s after a Jang
induction window, 19.4 s of quiet, against ROS3 at rtol 1e-9: ROS2 takes 1099
steps at rtol 1e-5 (largest relative error 8.8e-5), ROS3 107 (2.3e-5) and 55
at rtol 1e-4 (1.1e-4).

Conservation: for every conservation law w (w^T f = 0 for all x, so
w^T J = 0), w^T (I - gamma h J) = w^T, hence w^T k_i = 0 for every stage: the
linear invariants are kept to round-off (tested after a
45-minute advance).

Negative values: ROS2 is not positivity preserving.  A trial step whose state
has a value below ``-negative_tol`` (default: ``atol``) is rejected and retried
with half the step; values in ``[-negative_tol, 0)`` are within the error
tolerance and are kept as they are (no clipping: clipping would add mass and
break the conservation laws).  ``info["min_value"]`` reports the most negative
value reached.  In the calcium/calmodulin/calcineurin tests the most negative
value is about -5e-17 uM (round-off in species that start at exactly 0);
``negative_tol=0`` cannot be met for that reason (the step size underflows),
``negative_tol=1e-19`` can (a few extra rejected steps).

Right-hand side and Jacobian: the flux expressions (observables written out)
are parsed with Brian2's ``str_to_sympy``.  ``f = S v``, with ``v`` the fluxes
and ``S`` the stoichiometry divided by volumes exactly as ``net.equations()``
assembles d[X]/dt (concentration fluxes: coefficient / volume; diffusion
amount fluxes: +-1 / volume in litres).  Fluxes that are polynomials in the
species (mass action, diffusion) are split into monomials ``c_m prod x``; the
coefficients ``c_m`` (expressions of the parameters) are computed once per
:meth:`advance`, and every monomial and every monomial derivative is then one
vectorised gather-and-multiply over all monomials and rows.  The other fluxes
(Michaelis-Menten, conversions with expression rates, ``abs`` -> ``sign``) are
differentiated with sympy and printed, after common-subexpression elimination,
as one straight-line numpy function.  The nonzeros of ``J = S dv/dx`` are one
sparse product.  ``x`` is held as (n_species, n_rows).

Linear systems: ``linear_solver="dense"`` builds the (rows, n, n) stack and
calls ``np.linalg.solve`` (LAPACK, partial pivoting) for each stage (so it
factors once per stage);
``"sparse"`` factors every row's matrix at once with a sparse LU on the fixed
pattern of J (minimum-degree order, symbolic fill-in and level sets computed
once, no pivoting; each numeric level is a few numpy operations on
(entries, rows) arrays), once per step for all stages; every sparse solve is
checked (normwise backward error <= 1e-11) and rows that fail are re-solved
densely.  ``"auto"`` takes dense while rows x species^3 <= DENSE_PER_LEVEL x the
sparse LU's levels per step (its cost is mostly one numpy call per level): up to 8 rows
of the 145-species spine with ROS3, 3 rows of the benchmark's 142 species, else sparse.

Accuracy and cost (measured on the 2-core development machine, shared):

* the global error after 30 s of quiet from a Ca2+-loaded
  calcium/calmodulin/calcineurin state is about 1.3 x rtol (1.3e-5 at the
  default rtol 1e-5, 1.3e-4 at 1e-4, against Brian2 rk4 at 5 us and against
  libroadrunner/CVODE at rtol 1e-12); linear invariants drift by ~1e-11
  relative over 45 minutes;
* with ROS2 the embedded estimate is first order, so steps grow only as
  sqrt(rtol): 30 s from a loaded state take ~4000 steps at rtol 1e-5 (~1300
  at 1e-4, ~400 at 1e-3), most of them in the 1-100 ms of fast relaxation;
  ROS3 needs about a tenth (above); a settled state takes steps of 1e4 s;
* cost per batched step (``benchmark()``, calcium + copies of
  calmodulin/calcineurin; ``auto`` solver): 62 species 0.46 ms (1 row),
  2.6 ms (53 rows), 19 ms (1000 rows); 142 species 0.81 ms, 4.2 ms, 56 ms.
  The full spine network (146 species, 14 expression-rate conversions):
  1.0 ms, 8.9 ms, 128 ms.
"""
from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
import sympy
from brian2 import umolar
from sympy.printing.numpy import NumPyPrinter

from .network import ReactionNetwork


class _Method:
    """A Rosenbrock method in the form (I - gamma h J) k_i = gamma (f(x + h sum_j a_ij k_j)
    + sum_j c_ij k_j), x_new = x + h sum m_i k_i, error h sum e_i k_i (local error of order
    ``order``); ``new_f[i]``: stage i evaluates f (else it reuses the previous stage's)."""

    def __init__(self, name, gamma, a, c, m, e, new_f, order):
        self.name, self.gamma, self.order = name, gamma, order
        self.a, self.c, self.m, self.e, self.new_f = a, c, m, e, new_f


#: ROS2 (Verwer et al 1999) rewritten in the form of _Method: k_i here = k_i there / gamma
_G2 = 1.0 + 1.0 / np.sqrt(2.0)
ROS2 = _Method("ros2", _G2, a={(1, 0): 1 / _G2}, c={(1, 0): -2.0 / _G2},
               m=(1.5 / _G2, 0.5 / _G2), e=(0.5 / _G2, 0.5 / _G2), new_f=(True, True), order=2)
#: ROS3 (Sandu, Verwer, Blom, Spee, Carmichael & Potra 1997, Atmos Environ 31:3459,
#: "Benchmarking stiff ODE solvers for atmospheric chemistry problems II: Rosenbrock
#: solvers"): 3 stages, order 3, L-stable, embedded order 2, two evaluations of f;
#: the coefficients as in KPP's rosenbrock integrator (Sandu & Sander 2006), where the
#: stages solve (I/(h gamma) - J) K_i = f_i + sum_j c_ij/h K_j; here k_i = K_i / h
_G3 = 0.43586652150845899941601945119356
ROS3 = _Method("ros3", _G3,
               a={(1, 0): 1.0, (2, 0): 1.0, (2, 1): 0.0},
               c={(1, 0): -0.10156171083877702091975600115545e+01,
                  (2, 0): 0.40759956452537699824805835358067e+01,
                  (2, 1): 0.92076794298330791242156818474003e+01},
               m=(1.0, 0.61697947043828245592553615689730e+01,
                  -0.42772256543218573326238373806514),
               e=(0.5, -0.29079558716805469821718236208017e+01,
                  0.22354069897811569627360909276199),
               new_f=(True, True, False), order=3)
METHODS = {m.name: m for m in (ROS2, ROS3)}
#: ``linear_solver="auto"``: dense while rows x species^3 <= this x the sparse LU's numpy
#: levels per step.  Measured (one factorisation and three solves, the faster of three
#: timings; 2-core machine shared with a fit), benchmarks/stiff_linear_solver.py on the spine
#: network (145 species, 57 + 3 x (55 + 53) levels): dense / sparse 3.3 / 4.3 ms at 8 rows,
#: 5.9 / 8.6 at 16, 12.0 / 6.3 at 32 (a quiet phase of 8 rows: 1.38 times faster); the
#: threshold stops at 8, below the measured crossover.  ``benchmark()``'s 142 species
#: (22 + 3 x (21 + 22) levels): the crossover lies between 1 and 4 rows.
DENSE_PER_LEVEL = 7e4


class StiffSolverError(ValueError):
    """Bad input to :class:`StiffSolver` or a failed integration (step size underflow)."""


def _generate(name, args, outputs):
    """Compile ``name(_x, _p, _out)``: ``_out[q] = outputs[q]`` after common-subexpression
    elimination; ``args`` = (species symbols, parameter symbols) read from ``_x[i]``, ``_p[j]``."""
    printer = NumPyPrinter({"fully_qualified_modules": True})
    replacements, reduced = sympy.cse(list(outputs), symbols=sympy.numbered_symbols("_t"))
    used = set()
    for e in list(reduced) + [e for _, e in replacements]:
        used |= e.free_symbols
    xs, ps = args
    lines = [f"def {name}(_x, _p, _out):"]
    lines += [f"    {s.name} = _x[{i}]" for i, s in enumerate(xs) if s in used]
    lines += [f"    {s.name} = _p[{j}]" for j, s in enumerate(ps) if s in used]
    lines += [f"    {sym.name} = {printer.doprint(expr)}" for sym, expr in replacements]
    lines += [f"    _out[{q}] = {printer.doprint(expr)}" for q, expr in enumerate(reduced)]
    lines.append("    return _out")
    source = "\n".join(lines) + "\n"
    namespace = {"numpy": np}
    exec(compile(source, f"<stiff {name}>", "exec"), namespace)   # code generated from the table
    fn = namespace[name]
    fn.source = source
    return fn


def _minimum_degree(adj):
    """A fill-reducing elimination order: greedy minimum degree on a symmetric pattern."""
    adj = [set(a) for a in adj]
    remaining = set(range(len(adj)))
    order = []
    while remaining:
        k = min(remaining, key=lambda v: (len(adj[v]), v))
        order.append(k)
        remaining.remove(k)
        for a in adj[k]:
            adj[a] |= adj[k]
            adj[a].discard(a)
            adj[a].discard(k)
        adj[k] = set()
    return order


class _Summer:
    """Sums of consecutive groups of rows of an (m, rows) array (group starts: ``first``)."""

    def __init__(self, first):
        self.starts = np.flatnonzero(first)
        m = len(first)
        self.G = sp.csr_matrix((np.ones(m), (np.cumsum(first) - 1, np.arange(m))),
                               shape=(len(self.starts), m))

    def __call__(self, a):
        # reduceat is faster for a few rows, a sparse product for many
        return np.add.reduceat(a, self.starts, axis=0) if a.shape[1] < 16 else self.G @ a


class _BatchedSparseLU:
    """LU factorisation without pivoting of ``I - gamma h J`` for many rows at once.

    The pattern of J is fixed by the network, so the symbolic work (a
    minimum-degree order, the fill-in, and level sets of pivots and of
    triangular-solve rows that do not depend on each other) is done once; the
    numeric factorisation and the solves are then a few numpy operations per
    level on arrays of shape (entries, rows).  Without pivoting the
    factorisation could be unstable; :meth:`StiffSolver.advance` therefore
    checks every solve's residual and re-solves the rows that fail with a
    pivoted dense LU.
    """

    def __init__(self, n, j_rows, j_cols):
        self.n = n
        adj = [set() for _ in range(n)]
        for i, k in zip(j_rows, j_cols):
            if i != k:
                adj[i].add(k)
                adj[k].add(i)
        order = np.array(_minimum_degree(adj), dtype=np.int64)
        inv = np.empty(n, dtype=np.int64)
        inv[order] = np.arange(n)
        self.order = order
        rows = [{i} for i in range(n)]             # permuted pattern, by row
        cols = [{i} for i in range(n)]
        for i, k in zip(inv[j_rows], inv[j_cols]):
            rows[i].add(int(k))
            cols[int(k)].add(int(i))
        for k in range(n):                          # symbolic elimination: fill-in
            lower = [i for i in cols[k] if i > k]
            upper = [j for j in rows[k] if j > k]
            for i in lower:
                for j in upper:
                    if j not in rows[i]:
                        rows[i].add(j)
                        cols[j].add(i)
        entries = sorted((i, j) for i in range(n) for j in rows[i])
        pos = {e: q for q, e in enumerate(entries)}
        self.n_entries = len(entries)
        self.posJ = np.array([pos[(int(inv[i]), int(inv[k]))] for i, k in zip(j_rows, j_cols)],
                             dtype=np.int64)
        self.posD = np.array([pos[(int(inv[i]), int(inv[i]))] for i in range(n)], dtype=np.int64)
        # factorisation levels: pivot k waits for every j < k with L[k, j] or U[j, k]
        level = np.zeros(n, dtype=np.int64)
        for k in range(n):
            deps = [j for j in rows[k] if j < k] + [j for j in cols[k] if j < k]
            level[k] = 1 + max(level[j] for j in deps) if deps else 0
        self.factor_levels = []
        for lev in range(level.max() + 1 if n else 0):
            lidx, ldiag, upd = [], [], []
            pivots = np.flatnonzero(level == lev)
            for k in pivots:
                lower = sorted(i for i in cols[k] if i > k)
                upper = sorted(j for j in rows[k] if j > k)
                lidx += [pos[(i, k)] for i in lower]
                ldiag += [pos[(k, k)]] * len(lower)
                upd += [(pos[(i, j)], pos[(i, k)], pos[(k, j)]) for i in lower for j in upper]
            lidx, ldiag = np.array(lidx, dtype=np.int64), np.array(ldiag, dtype=np.int64)
            if len(pivots) == 1 and upd:
                # one pivot: a rank-one update, l (column k) times u (row k), no repeated targets
                k = pivots[0]
                upper = sorted(j for j in rows[k] if j > k)
                outer = (np.array([t for t, _, _ in upd], dtype=np.int64), lidx,
                         np.array([pos[(k, j)] for j in upper], dtype=np.int64))
                self.factor_levels.append((lidx, ldiag, outer))
            else:
                self.factor_levels.append((lidx, ldiag, self._grouped(upd)))
        # triangular solve levels
        flev = np.zeros(n, dtype=np.int64)
        for i in range(n):
            deps = [j for j in rows[i] if j < i]
            flev[i] = 1 + max(flev[j] for j in deps) if deps else 0
        self.forward = []
        for lev in range(1, flev.max() + 1 if n else 1):
            terms = [(i, pos[(i, j)], j) for i in np.flatnonzero(flev == lev) for j in sorted(rows[i]) if j < i]
            self.forward.append(self._grouped(terms))
        blev = np.zeros(n, dtype=np.int64)
        for i in range(n - 1, -1, -1):
            deps = [j for j in rows[i] if j > i]
            blev[i] = 1 + max(blev[j] for j in deps) if deps else 0
        self.backward = []
        for lev in range(blev.max() + 1 if n else 0):
            idx = np.flatnonzero(blev == lev)
            terms = [(i, pos[(i, j)], j) for i in idx for j in sorted(rows[i]) if j > i]
            self.backward.append((idx, np.array([pos[(i, i)] for i in idx], dtype=np.int64))
                                 + self._grouped(terms))
        self.n_levels = (len(self.factor_levels), len(self.forward), len(self.backward))

    @staticmethod
    def _grouped(terms):
        """(targets, a, b, sum): terms (target, a, b) sorted by target; ``sum`` adds up the
        products of terms with the same target (None when every target occurs once)."""
        terms = sorted(terms)
        t = np.array([x[0] for x in terms], dtype=np.int64)
        a = np.array([x[1] for x in terms], dtype=np.int64)
        b = np.array([x[2] for x in terms], dtype=np.int64)
        if len(t) == 0:
            return t, a, b, None
        first = np.r_[True, t[1:] != t[:-1]]
        if first.all():
            return t, a, b, None
        return t[first], a, b, _Summer(first)

    def factor(self, jv, h):
        """Numeric LU of I - gh J, J's nonzeros ``jv`` (nnz, rows); gh = gamma x step (rows,)."""
        data = np.zeros((self.n_entries, jv.shape[1]))
        data[self.posJ] = jv * (-h)
        data[self.posD] += 1.0
        R = data.shape[1]
        for lidx, ldiag, update in self.factor_levels:
            if len(lidx):
                data[lidx] /= data[ldiag]
            if len(update) == 3:                    # rank one: targets in (i, j) order
                tgt, lcol, urow = update
                data[tgt] -= (data[lcol][:, None, :] * data[urow][None, :, :]).reshape(-1, R)
            elif len(update[1]):
                tgt, la, ub, starts = update
                upd = data[la] * data[ub]
                data[tgt] -= upd if starts is None else starts(upd)
        return data

    def solve(self, data, b):
        """Solve with the factors ``data`` for ``b`` of shape (n, rows)."""
        y = b[self.order]
        for tgt, src, col, starts in self.forward:
            s = data[src] * y[col]
            y[tgt] -= s if starts is None else starts(s)
        for idx, diag, tgt, src, col, starts in self.backward:
            if len(src):
                s = data[src] * y[col]
                y[tgt] -= s if starts is None else starts(s)
            y[idx] /= data[diag]
        x = np.empty_like(y)
        x[self.order] = y
        return x


class _Params:
    """Parameters checked for one :meth:`StiffSolver.advance`: values (float or row array),
    the indices of those that vary over rows, and the monomial coefficients (n_monomials, 1 or rows)."""

    def __init__(self, values, varying, coef):
        self.values, self.varying, self.coef = values, varying, coef

    def rows(self, act):
        """The parameters of rows ``act`` (an index array)."""
        if not self.varying:
            return self
        values = list(self.values)
        for j in self.varying:
            values[j] = self.values[j][act]
        return _Params(values, self.varying, self.coef[:, act])


class StiffSolver:
    """ROS2 (Verwer et al 1999) for ``net``, vectorised over rows; see the module docstring.

    Fluxes that are polynomials in the species (mass action, diffusion: almost
    all of them) are evaluated as vectorised monomials ``c_m prod x[idx]``
    (coefficients ``c_m`` from the parameters, computed once per
    :meth:`advance`); the others (Michaelis-Menten, conversions with
    expression rates) by generated straight-line numpy code.
    """

    MAX_DEGREE = 4

    def __init__(self, net: ReactionNetwork):
        from brian2.parsing.sympytools import str_to_sympy

        self.net = net
        self.species_ids = net.species_ids
        self.parameter_names = list(net.parameters)
        n = len(self.species_ids)
        index = {sid: i for i, sid in enumerate(self.species_ids)}
        xs = [sympy.Symbol(f"_s{i}", real=True) for i in range(n)]
        ps = [sympy.Symbol(f"_q{j}", real=True) for j in range(len(self.parameter_names))]
        xindex = {s: i for i, s in enumerate(xs)}
        by_name = {sid: xs[i] for i, sid in enumerate(self.species_ids)}
        by_name.update({p: ps[j] for j, p in enumerate(self.parameter_names)})
        amount_fluxes = {d.label for d in net.diffusions}

        # S: d[X]/dt = S v (uM/s), v the fluxes, as net.equations() assembles it
        fluxes, s_rows, s_cols, s_vals = [], [], [], []
        for j, (label, rate, coeff) in enumerate(net.fluxes):
            expr = str_to_sympy(net.expand(rate))
            subs = {}
            for sym in expr.free_symbols:
                if sym.name not in by_name:
                    raise StiffSolverError(f"flux '{label}': unknown name '{sym.name}' in '{rate}'")
                subs[sym] = by_name[sym.name]
            fluxes.append(expr.xreplace(subs))
            for sid, c in coeff.items():
                vol = net.volume(sid)
                # amount fluxes (uM litre/s) over the volume in litres; concentration fluxes
                # times coefficient / volume
                s_rows.append(index[sid])
                s_cols.append(j)
                s_vals.append(c / (vol * 1e-15) if label in amount_fluxes else c / vol)
        m = len(fluxes)
        self.n_species, self.n_fluxes = n, m
        S = sp.coo_matrix((s_vals, (s_rows, s_cols)), shape=(n, m)).tocsc()
        S.sum_duplicates()
        self._S = S

        # split: polynomial fluxes -> monomials; the rest -> generated code
        D = self.MAX_DEGREE
        mono_coef, mono_idx, mono_flux = [], [], []      # coefficient expr, species indices, flux
        general = []                                     # flux indices
        for j, expr in enumerate(fluxes):
            species = sorted((s for s in expr.free_symbols if s in xindex), key=xindex.get)
            poly = None
            if not species:
                poly = [((), expr)]
            elif expr.is_polynomial(*species):
                terms = sympy.Poly(expr, *species).terms()
                if all(sum(e) <= D for e, _ in terms):
                    poly = [(sum(([xindex[sp_]] * k for sp_, k in zip(species, e)), []), c)
                            for e, c in terms]
            if poly is None:
                general.append(j)
                continue
            for idx, c in poly:
                if c != 0:
                    mono_coef.append(c)
                    mono_idx.append(idx)
                    mono_flux.append(j)
        nm = len(mono_coef)
        self.n_monomials = nm
        pad = n                                          # index of the constant row of ones
        self._mono_idx = np.full((D, nm), pad, dtype=np.int64)
        for q, idx in enumerate(mono_idx):
            self._mono_idx[:len(idx), q] = idx
        self._mono_degree = max([len(i) for i in mono_idx] + [0])
        self._mono_idx = self._mono_idx[:self._mono_degree]
        self._coef_fn = _generate("_coefficients", (xs, ps), [sympy.sympify(c) for c in mono_coef]) \
            if nm else None
        # f = S M mono, M: monomial -> flux
        M = sp.coo_matrix((np.ones(nm), (mono_flux, np.arange(nm))), shape=(m, nm)).tocsc()
        self._S_mono = (S @ M).tocsr()
        # derivative monomials: d(c x_a x_b ...)/dx_s = (power of s) c prod(others)
        dm_mono, dm_idx, dm_mult, dm_species = [], [], [], []
        for q, idx in enumerate(mono_idx):
            for s_ in sorted(set(idx)):
                rest = list(idx)
                rest.remove(s_)
                dm_mono.append(q)
                dm_idx.append(rest)
                dm_mult.append(idx.count(s_))
                dm_species.append(s_)
        self._dm_mono = np.array(dm_mono, dtype=np.int64)
        self._dm_idx = np.full((max(self._mono_degree - 1, 0), len(dm_mono)), pad, dtype=np.int64)
        for q, idx in enumerate(dm_idx):
            self._dm_idx[:len(idx), q] = idx
        # general fluxes: generated code for v_j and its nonzero derivatives
        g_exprs, g_derivs = [fluxes[j] for j in general], []
        for gj, j in enumerate(general):
            for k in sorted(xindex[s_] for s_ in fluxes[j].free_symbols if s_ in xindex):
                d = sympy.diff(fluxes[j], xs[k])
                if d != 0:
                    g_derivs.append((gj, k, d))
        self._general = np.array(general, dtype=np.int64)
        self._S_gen = S[:, general].tocsr()
        self._gen_f = _generate("_general_fluxes", (xs, ps), g_exprs) if general else None
        self._gen_fj = _generate("_general_fluxes_and_derivatives", (xs, ps),
                                 g_exprs + [d for _, _, d in g_derivs]) if general else None
        self._n_gen_derivs = len(g_derivs)

        # J = S dv/dx: every contribution (row i, column k, source, weight); sources are the
        # derivative monomials (0..) and then the general derivatives
        contrib = []
        Sc = S.tocsc()
        for q, (mq, s_) in enumerate(zip(dm_mono, dm_species)):
            j = mono_flux[mq]
            for i, c in zip(Sc.indices[Sc.indptr[j]:Sc.indptr[j + 1]], Sc.data[Sc.indptr[j]:Sc.indptr[j + 1]]):
                contrib.append((i, s_, q, c * dm_mult[q]))
        for q, (gj, k, _) in enumerate(g_derivs):
            j = general[gj]
            for i, c in zip(Sc.indices[Sc.indptr[j]:Sc.indptr[j + 1]], Sc.data[Sc.indptr[j]:Sc.indptr[j + 1]]):
                contrib.append((i, k, len(dm_mono) + q, c))
        keys = sorted({(i, k) for i, k, _, _ in contrib})
        pos = {key: r for r, key in enumerate(keys)}
        self._J_rows = np.array([i for i, _ in keys], dtype=np.int64)
        self._J_cols = np.array([k for _, k in keys], dtype=np.int64)
        self.n_jacobian_nonzeros = len(keys)
        n_src = len(dm_mono) + len(g_derivs)
        self._Q = sp.coo_matrix(([c for *_, c in contrib],
                                 ([pos[(i, k)] for i, k, _, _ in contrib], [q for _, _, q, _ in contrib])),
                                shape=(len(keys), n_src)).tocsr()
        self._Q_mono = self._Q[:, :len(dm_mono)].tocsr()
        self._Q_gen = self._Q[:, len(dm_mono):].tocsr()
        jr = self._J_rows
        first = np.r_[True, jr[1:] != jr[:-1]] if len(jr) else np.zeros(0, bool)
        self._J_row_sum = _Summer(first) if len(jr) else None
        self._J_row_ids = jr[first]
        self._lu = _BatchedSparseLU(n, self._J_rows, self._J_cols)
        self.fallback_solves = 0                         # rows re-solved densely (residual check)

    # parameters and state ----------------------------------------------------
    def default_params(self, n_rows: int = 1) -> dict:
        """{parameter name: array of n_rows} in file units (uM, s, litre)."""
        return {name: np.full(int(n_rows), self.net.parameter_in_file_units(name))
                for name in self.parameter_names}

    def initial_state(self, n_rows: int = 1) -> np.ndarray:
        """The table's initial concentrations (uM), shape (n_species, n_rows)."""
        x0 = np.array([float(self.net.species_by_id(s).initial / umolar) for s in self.species_ids])
        return np.repeat(x0[:, None], int(n_rows), axis=1)

    def prepare_params(self, params, n_rows):
        """Check ``params`` and compute what the right-hand side needs: a :class:`_Params`."""
        values = {name: self.net.parameter_in_file_units(name) for name in self.parameter_names}
        if params is not None:
            unknown = set(params) - set(values)
            if unknown:
                raise StiffSolverError(f"unknown parameter(s) {sorted(unknown)}; known: "
                                       f"{', '.join(self.parameter_names)}")
            values.update(params)
        out, varying = [], []
        for j, name in enumerate(self.parameter_names):
            a = np.asarray(values[name], dtype=float)
            if a.ndim > 1 or (a.ndim == 1 and a.shape[0] != n_rows):
                raise StiffSolverError(f"parameter '{name}': expected a float or an array of {n_rows} "
                                       f"rows, got shape {a.shape}")
            if not np.all(np.isfinite(a)):
                raise StiffSolverError(f"parameter '{name}' is not finite: {a}")
            if a.ndim == 1 and np.all(a == a[0]):
                a = a[0]                        # the same in every row: a scalar is cheaper
            out.append(float(a) if a.ndim == 0 else a)
            if a.ndim == 1:
                varying.append(j)
        if self.n_monomials:
            coef = np.empty((self.n_monomials, n_rows if varying else 1))
            self._coef_fn(None, out, coef)
        else:
            coef = np.zeros((0, 1))
        return _Params(out, varying, coef)

    def _state_array(self, x):
        ids = self.species_ids
        if isinstance(x, dict):
            missing = [s for s in ids if s not in x]
            extra = [s for s in x if s not in set(ids)]
            if missing or extra:
                raise StiffSolverError(f"state dict: missing species {missing}, unknown {extra}")
            cols = [np.atleast_1d(np.asarray(x[s], dtype=float)) for s in ids]
            n_rows = max(c.shape[0] for c in cols)
            for s, c in zip(ids, cols):
                if c.ndim != 1 or c.shape[0] not in (1, n_rows):
                    raise StiffSolverError(f"species '{s}': expected a float or an array of "
                                           f"{n_rows} rows, got shape {c.shape}")
            arr = np.array([np.broadcast_to(c, (n_rows,)) for c in cols], dtype=float)
            return arr, "dict"
        arr = np.array(x, dtype=float)
        if arr.ndim == 1 and arr.shape[0] == len(ids):
            return arr[:, None], "vector"
        if arr.ndim != 2 or arr.shape[0] != len(ids):
            raise StiffSolverError(f"state array: expected shape ({len(ids)}, n_rows) in "
                                   f"net.species_ids order, got {arr.shape}")
        return arr, "array"

    # right-hand side and Jacobian ----------------------------------------------
    def _extended(self, x):
        xe = np.empty((x.shape[0] + 1, x.shape[1]))
        xe[:-1] = x
        xe[-1] = 1.0
        return xe

    def _monomial_part(self, x, p):
        """The extended state and the mass-action part of f."""
        xe = self._extended(x)
        mono = np.broadcast_to(p.coef, (self.n_monomials, x.shape[1]))
        for idx in self._mono_idx:
            mono = mono * xe[idx]
        return xe, self._S_mono @ mono

    def rhs(self, x, p):
        """d[X]/dt (uM/s) for ``x`` of shape (n_species, n_rows); ``p`` from :meth:`prepare_params`."""
        R = x.shape[1]
        xe, f = self._monomial_part(x, p)
        if self._gen_f is not None:
            v = self._gen_f(x, p.values, np.empty((len(self._general), R)))
            f += self._S_gen @ v
        return f

    def rhs_and_jacobian(self, x, p):
        """f (n_species, n_rows) and the values of J's nonzeros (n_nonzeros, n_rows)."""
        R = x.shape[1]
        xe, f = self._monomial_part(x, p)
        dmono = np.broadcast_to(p.coef[self._dm_mono], (len(self._dm_mono), R))
        for idx in self._dm_idx:
            dmono = dmono * xe[idx]
        jv = self._Q_mono @ dmono
        if self._gen_fj is not None:
            ng = len(self._general)
            out = self._gen_fj(x, p.values, np.empty((ng + self._n_gen_derivs, R)))
            f += self._S_gen @ out[:ng]
            jv += self._Q_gen @ out[ng:]
        return f, jv

    def jacobian_dense(self, x, p):
        """J as a dense (n_rows, n, n) array (for checks)."""
        _, jv = self.rhs_and_jacobian(x, p)
        J = np.zeros((x.shape[1], self.n_species, self.n_species))
        J[:, self._J_rows, self._J_cols] = jv.T
        return J

    # linear algebra ------------------------------------------------------------
    def _jx(self, jv, x):
        """J x from J's nonzeros ``jv`` (nnz, rows), x (n, rows)."""
        out = np.zeros_like(x)
        if len(jv):
            out[self._J_row_ids] = self._J_row_sum(jv * x[self._J_cols])
        return out

    def _dense_matrices(self, jv, h):
        n, R = self.n_species, jv.shape[1]
        A = np.zeros((R, n, n))
        A[:, self._J_rows, self._J_cols] = -h[:, None] * jv.T
        A[:, np.arange(n), np.arange(n)] += 1.0
        return A

    def _factor(self, jv, h, method):
        """Factor (I - h J) for every row (h: gamma x step); return a solve(b) for b of shape (n, rows)."""
        if method == "dense":
            A = self._dense_matrices(jv, h)

            def solve(b):
                return np.linalg.solve(A, b.T[:, :, None])[:, :, 0].T
            return solve
        data = self._lu.factor(jv, h)
        # |A|_inf per row, for the residual check
        a_norm = 1.0 + h * (self._J_row_sum(np.abs(jv)).max(axis=0) if len(jv) else 0.0)

        failed = []

        def solve(b):
            x = self._lu.solve(data, b)
            # LU without pivoting: check the normwise backward error of every row's first
            # solve, and re-solve the rows that fail (then and in the later stages, which
            # use the same factors) with a pivoted dense LU
            if failed:
                bad = failed[0]
            else:
                r = b - (x - h * self._jx(jv, x))
                with np.errstate(invalid="ignore"):
                    bad = ~(np.abs(r).max(axis=0) <= 1e-11 * (np.abs(b).max(axis=0)
                                                              + a_norm * np.abs(x).max(axis=0)))
                failed.append(bad)
            if np.any(bad):
                self.fallback_solves += int(bad.sum())
                A = self._dense_matrices(jv[:, bad], h[bad])
                x[:, bad] = np.linalg.solve(A, b[:, bad].T[:, :, None])[:, :, 0].T
            return x
        return solve

    def choose_linear_solver(self, n_rows, stages: int = 3):
        """'dense' (batched LAPACK) for few rows, 'sparse' (batched sparse LU) otherwise.

        The sparse LU's cost per step is mostly a fixed number of numpy calls (one per
        level of the factorisation and of each stage's two triangular solves), the
        dense one grows as rows x species^3: dense while rows x species^3 <=
        DENSE_PER_LEVEL x those levels (see the module docstring for the measurements).
        """
        f, fw, bw = self._lu.n_levels
        levels = f + stages * (fw + bw)
        return "dense" if n_rows * self.n_species ** 3 <= DENSE_PER_LEVEL * levels else "sparse"

    # integration ---------------------------------------------------------------
    def advance(self, x, params=None, duration_s=0.0, rtol=1e-5, atol=1e-9, *, h0=None,
                negative_tol=None, max_steps=200000, linear_solver="auto", method="ros3"):
        """Advance every row by ``duration_s`` seconds with no outside input; see the module docstring.

        Returns ``(x_new, info)``; ``x_new`` has the form of ``x`` (dict or array).
        ``h0``: first step (s; default from f and the tolerances);
        ``negative_tol``: trial states below ``-negative_tol`` uM are rejected
        (default ``atol``); ``max_steps``: limit on batched steps;
        ``linear_solver``: "dense" (batched LAPACK with pivoting), "sparse"
        (batched sparse LU, residual-checked) or "auto" (dense while
        rows x species^3 <= 1e7).
        """
        X0, form = self._state_array(x)
        n, R = X0.shape
        duration = float(duration_s)
        if not np.isfinite(duration) or duration < 0:
            raise StiffSolverError(f"duration must be finite and >= 0 s, got {duration_s!r}")
        if not (np.isfinite(rtol) and np.isfinite(atol) and rtol >= 0 and atol > 0):
            raise StiffSolverError(f"need rtol >= 0 and atol > 0, got rtol={rtol}, atol={atol}")
        if not np.all(np.isfinite(X0)):
            bad = sorted({self.species_ids[i] for i in np.argwhere(~np.isfinite(X0))[:, 0]})
            raise StiffSolverError(f"state is not finite for {bad}")
        p_all = self.prepare_params(params, R)
        neg_tol = float(atol if negative_tol is None else negative_tol)
        if method not in METHODS:
            raise StiffSolverError(f"method must be one of {sorted(METHODS)}, got {method!r}")
        scheme = METHODS[method]
        method = (self.choose_linear_solver(R, len(scheme.new_f)) if linear_solver == "auto"
                  else linear_solver)
        if method not in ("dense", "sparse"):
            raise StiffSolverError(f"linear_solver must be 'dense', 'sparse' or 'auto', got {method!r}")

        X = X0.copy()
        t = np.zeros(R)
        steps = np.zeros(R, dtype=np.int64)
        rejected = np.zeros(R, dtype=np.int64)
        h = np.full(R, np.nan)
        min_value, min_species = 0.0, None
        iterations = 0
        hmin = max(1e-12 * duration, 1e-16)
        done = np.full(R, duration == 0.0)
        while not np.all(done):
            act = np.flatnonzero(~done)
            iterations += 1
            if iterations > max_steps:
                raise StiffSolverError(f"more than max_steps={max_steps} steps; t = {t[act].min():.6g} s "
                                       f"of {duration:.6g} s")
            x = X[:, act]
            p = p_all.rows(act)
            f0, jv = self.rhs_and_jacobian(x, p)
            if not (np.all(np.isfinite(f0)) and np.all(np.isfinite(jv))):
                bad = act[~(np.all(np.isfinite(f0), axis=0) & np.all(np.isfinite(jv), axis=0))]
                raise StiffSolverError(f"right-hand side or Jacobian not finite in rows {bad.tolist()} "
                                       f"at t = {t[bad].min():.6g} s")
            hr = h[act]
            first = np.isnan(hr)
            if np.any(first):
                hr[first] = self._initial_step(x[:, first], f0[:, first], rtol, atol, duration, h0)
            rest = duration - t[act]
            last = hr >= rest * (1 - 1e-10)
            hs = np.where(last, rest, hr)
            with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                try:
                    x_new, err = self._stages(scheme, x, p, f0, jv, hs, method)
                except np.linalg.LinAlgError:             # singular matrix: retry with smaller h
                    x_new = err = np.full_like(x, np.nan)
                scale = atol + rtol * np.maximum(np.abs(x), np.abs(x_new))
                errnorm = np.sqrt(np.mean((err / scale) ** 2, axis=0))
            finite = np.all(np.isfinite(x_new), axis=0) & np.isfinite(errnorm)
            lowest = np.where(finite, np.min(np.where(np.isfinite(x_new), x_new, 0.0), axis=0), 0.0)
            negative = lowest < -neg_tol
            ok = finite & (errnorm <= 1.0) & ~negative
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.clip(0.9 * np.where(finite, errnorm, np.inf) ** (-1.0 / scheme.order),
                                 0.2, 5.0)
            factor = np.where(ok, factor, np.minimum(factor, 1.0))
            factor = np.where(negative & finite & (errnorm <= 1.0), 0.5, factor)
            factor = np.where(finite, factor, 0.25)
            # accepted rows
            acc = act[ok]
            if acc.size:
                X[:, acc] = x_new[:, ok]
                t[acc] = np.where(last[ok], duration, t[acc] + hs[ok])
                steps[acc] += 1
                done[acc] = last[ok]
                low = x_new[:, ok]
                if low.min() < min_value:
                    i, _ = np.unravel_index(np.argmin(low), low.shape)
                    min_value, min_species = float(low.min()), self.species_ids[i]
            rejected[act[~ok]] += 1
            # next step size: from the step tried (a last, shortened step does not shrink h)
            base = np.where(last & ok, np.maximum(hs, hr), hs)
            h[act] = base * factor
            small = act[(~ok) & ~(h[act] >= hmin)]
            if small.size:
                raise StiffSolverError(f"step size underflow (h < {hmin:.3g} s) in rows {small.tolist()} "
                                       f"at t = {t[small].min():.6g} s: the solution is not finite, "
                                       f"or the tolerances (or negative_tol) cannot be met")
        info = {"steps": steps, "rejected": rejected, "iterations": iterations,
                "min_value": min_value, "min_species": min_species, "h_last": h,
                "linear_solver": method}
        if form == "dict":
            return {sid: X[i].copy() for i, sid in enumerate(self.species_ids)}, info
        if form == "vector":
            return X[:, 0], info
        return X, info

    def _stages(self, scheme, x, p, f0, jv, hs, linear_solver):
        """One step of ``scheme`` for every row: (x_new, local error estimate)."""
        solve = self._factor(jv, scheme.gamma * hs, linear_solver)
        k, f = [], f0
        for i, new_f in enumerate(scheme.new_f):
            if i and new_f:
                arg = x + hs * sum(scheme.a[i, j] * k[j] for j in range(i) if scheme.a[i, j])
                f = self.rhs(arg, p)
            b = f + sum(scheme.c[i, j] * k[j] for j in range(i))
            k.append(solve(scheme.gamma * b))
        x_new = x + hs * sum(m * kj for m, kj in zip(scheme.m, k))
        err = hs * sum(e * kj for e, kj in zip(scheme.e, k))
        return x_new, err

    @staticmethod
    def _initial_step(x, f, rtol, atol, duration, h0):
        if h0 is not None:
            return np.full(x.shape[1], float(h0))
        # Hairer, Norsett & Wanner's first guess 0.01 |x| / |f| (weighted norms)
        scale = atol + rtol * np.abs(x)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            d0 = np.sqrt(np.mean((x / scale) ** 2, axis=0))
            d1 = np.sqrt(np.mean((f / scale) ** 2, axis=0))
            h = np.where((d0 > 1e-5) & (d1 > 1e-5), 0.01 * d0 / d1, 1e-6)
        h = np.where(np.isfinite(h) & (h > 0), h, 1e-6)
        return np.minimum(h, duration if duration > 0 else 1.0)


def conservation_matrix(net: ReactionNetwork):
    """(W, ids): one row of weights per conservation law of ``net`` (concentrations, uM)."""
    ids = net.species_ids
    laws = net.conservation_laws()
    W = np.zeros((len(laws), len(ids)))
    for r, law in enumerate(laws):
        for sid, w in law.items():
            W[r, ids.index(sid)] = w
    return W, ids


def replicated_network(copies: int) -> ReactionNetwork:
    """calcium + ``copies`` renamed copies of calmodulin + calcineurin sharing Ca2+ (benchmarks).

    2 + 20 x copies species: 3 copies give 62, 7 copies 142.
    """
    from dataclasses import replace
    from .molecules import calcium, calmodulin, calcineurin
    from .table import Table

    base = calmodulin.table() + calcineurin.table()
    total = calcium.table(influx=False)
    for c in range(copies):
        def rn(sid):
            name, comp = sid.rsplit("_", 1)
            return sid if name == "Ca" else f"{name}x{c}_{comp}"
        t = Table()
        t.species = [replace(s, name=f"{s.name}x{c}") for s in base.species]
        t.reactions = [replace(r, label=f"{r.label}x{c}", reactants=tuple(map(rn, r.reactants)),
                               products=tuple(map(rn, r.products))) for r in base.reactions]
        t.diffusions = [replace(d, label=f"{d.label}x{c}", a=rn(d.a), b=rn(d.b)) for d in base.diffusions]
        total = total + t
    return total.network()


def benchmark(copies=(3, 7), rows=(1, 53, 1000), repeats=2, duration=5e-6):
    """Seconds per batched step (ROS2: one Jacobian, one LU, two solves) for rows x species.

    Rows start at rest with Ca2+ raised to 0.5-1.5 uM (different in every row)
    and advance ``duration`` seconds.  Returns (species, rows, linear solver,
    seconds per step, steps).
    """
    out = []
    for c in copies:
        net = replicated_network(c)
        solver = StiffSolver(net)
        ids = net.species_ids
        for R in rows:
            X = solver.initial_state(R)
            for sid in ("Ca_psd", "Ca_cyt"):
                X[ids.index(sid)] = np.linspace(0.5, 1.5, R)
            for method in ("dense", "sparse"):
                if method == "dense" and R * len(ids) ** 3 > 1e9:
                    continue
                best = np.inf
                for _ in range(repeats):
                    start = time.perf_counter()
                    _, info = solver.advance(X, None, duration, linear_solver=method)
                    best = min(best, (time.perf_counter() - start) / info["iterations"])
                out.append((len(ids), R, method, best, info["iterations"]))
    return out


__all__ = ["StiffSolver", "StiffSolverError", "conservation_matrix", "replicated_network",
           "benchmark", "METHODS"]

if __name__ == "__main__":  # pragma: no cover
    for n, R, method, s, it in benchmark():
        print(f"{n:4d} species {R:5d} rows {method:6s} {s * 1e3:9.3f} ms/step ({it} steps)")
