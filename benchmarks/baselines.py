"""Peers that symrelu's region enumeration is measured against.

* :func:`z3_pattern_search` -- exact and slow: a depth-first search over activation
  patterns, layer by layer and neuron by neuron, asking Z3 (exact rationals,
  incremental ``push``/``pop``) whether each partial pattern's strict constraints
  are feasible inside the open box; infeasible prefixes are pruned. A neuron
  whose pre-activation is identically zero on the prefix's region is inactive
  there and adds no constraint (this matches ``relu'``-free pattern semantics:
  bit 1 iff pre-activation > 0).
* :func:`regioncam_count` -- fast, float32, 2-D only: the ``regioncam`` package.

Both are written from the network's weights alone; neither uses symrelu's
region code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import z3

from symrelu import Network


@dataclass(frozen=True)
class SearchResult:
    patterns: tuple[tuple[tuple[int, ...], ...], ...]
    seconds: float
    complete: bool  # False when the time cap stopped the search
    checks: int  # Z3 queries made

    @property
    def count(self) -> int:
        return len(self.patterns)


def _q(value: Fraction) -> z3.ArithRef:
    return z3.RealVal(str(value))  # "p/q" text: exact, never a float


def z3_pattern_search(net: Network, box, time_cap: float | None = None) -> SearchResult:
    """All patterns whose region has non-empty interior in ``box``, by DFS with Z3.

    Affine pre-activations are carried as exact Fraction coefficient lists
    (``[a_1..a_d, a_0]``) along the search; only the sign constraint of the
    current neuron is handed to Z3.
    """
    start = time.perf_counter()
    deadline = None if time_cap is None else start + time_cap
    d = net.input_dim
    xs = [z3.Real(f"x{i}") for i in range(d)]
    solver = z3.Solver()
    for (lo, hi), x in zip(box, xs, strict=False):
        solver.add(_q(Fraction(lo)) < x, x < _q(Fraction(hi)))
    relu_layers = net.relu_layer_count
    identity = [[Fraction(int(i == j)) for j in range(d)] + [Fraction(0)] for i in range(d)]
    found: list[tuple[tuple[int, ...], ...]] = []
    checks = 0
    stopped = False

    def preactivations(layer_index: int, inputs: list[list[Fraction]]) -> list[list[Fraction]]:
        layer = net.layers[layer_index]
        rows = []
        for weights, bias in zip(layer.weight, layer.bias, strict=False):
            row = [sum((w * a[j] for w, a in zip(weights, inputs, strict=False) if w), Fraction(0)) for j in range(d + 1)]
            row[d] += bias
            rows.append(row)
        return rows

    def expression(row: list[Fraction]) -> z3.ArithRef:
        terms = [_q(c) * x for c, x in zip(row, xs, strict=False) if c]
        return z3.Sum(terms + [_q(row[d])]) if terms else _q(row[d])

    def walk(layer: int, rows: list[list[Fraction]], neuron: int, bits: tuple[int, ...], prefix: tuple) -> None:
        nonlocal checks, stopped
        if stopped:
            return
        if neuron == len(rows):
            pattern = prefix + (bits,)
            if layer + 1 == relu_layers:
                found.append(pattern)
                return
            zero = [Fraction(0)] * (d + 1)
            activations = [row if bit else zero for row, bit in zip(rows, bits, strict=False)]
            walk(layer + 1, preactivations(layer + 1, activations), 0, (), pattern)
            return
        row = rows[neuron]
        if not any(row):  # identically zero: inactive, no constraint
            walk(layer, rows, neuron + 1, bits + (0,), prefix)
            return
        expr = expression(row)
        for bit in (0, 1):
            if deadline is not None and time.perf_counter() > deadline:
                stopped = True
                return
            solver.push()
            solver.add(expr > 0 if bit else expr < 0)
            checks += 1
            answer = solver.check()
            if answer == z3.unknown:
                raise RuntimeError(f"z3 returned unknown: {solver.reason_unknown()}")
            if answer == z3.sat:
                walk(layer, rows, neuron + 1, bits + (bit,), prefix)
            solver.pop()
            if stopped:
                return

    if relu_layers == 0:
        found.append(())
    else:
        walk(0, preactivations(0, identity), 0, (), ())
    return SearchResult(tuple(sorted(found)), time.perf_counter() - start, not stopped, checks)


def regioncam_available() -> bool:
    try:
        import regioncam  # noqa: F401
    except ImportError:
        return False
    return True


def regioncam_count(net: Network) -> int:
    """Number of faces regioncam finds over [-1, 1]^2 (float32 weights; exact for k/64 weights)."""
    import numpy as np
    import regioncam

    if net.input_dim != 2:
        raise ValueError("regioncam partitions 2-D input space only")
    rc = regioncam.Regioncam(size=1.0)  # the square [-1, 1]^2
    for index, layer in enumerate(net.layers):
        weight = np.array([[float(w) for w in row] for row in layer.weight], dtype=np.float32)
        bias = np.array([float(b) for b in layer.bias], dtype=np.float32)
        rc.linear(np.ascontiguousarray(weight.T), bias)  # regioncam computes x @ W + b
        if index < net.relu_layer_count:
            rc.relu()
    return rc.num_faces


def affinitree_available() -> bool:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "PyTorch not available": not needed here
            import affinitree  # noqa: F401
    except ImportError:
        return False
    return True


def affinitree_count(net: Network, box) -> int:
    """Number of terminals (linear regions) affinitree distills over ``box`` (float64, any dimension).

    affinitree prints its progress on stdout; it is silenced here.
    """
    import contextlib
    import io
    import os
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import affinitree as at
        from affinitree import builder

    d = net.input_dim
    arch = at.Architecture(d)
    for index, layer in enumerate(net.layers):
        weight = np.array([[float(w) for w in row] for row in layer.weight])
        bias = np.array([float(b) for b in layer.bias])
        arch.linear(at.AffFunc.from_mats(weight, bias))
        if index < net.relu_layer_count:
            arch.relu()
    pre = at.AffTree.from_poly(
        at.Polytope.hyperrectangle(d, [(float(lo), float(hi)) for lo, hi in box]), at.AffFunc.identity(d)
    )
    # the Rust extension writes to file descriptor 1 directly: redirect it for the call
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(io.StringIO()):
            os.dup2(sink.fileno(), 1)
            tree = builder.from_layers(arch, pre)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return tree.num_terminals()


def ppl_hull_vertices(points) -> list[tuple[Fraction, ...]]:
    """Vertices of the convex hull of rational ``points``, by ppl's exact (GMP) generator minimisation."""
    from math import lcm

    import ppl

    dim = len(points[0])
    variables = [ppl.Variable(i) for i in range(dim)]
    gens = ppl.Generator_System()
    for p in points:
        den = lcm(*(Fraction(v).denominator for v in p))
        expr = sum((int(Fraction(v) * den) * x for v, x in zip(p, variables, strict=False)), ppl.Linear_Expression(0))
        gens.insert(ppl.point(expr, den))
    poly = ppl.C_Polyhedron(gens)
    found = []
    for g in poly.minimized_generators():
        den = int(g.divisor())
        found.append(tuple(Fraction(int(g.coefficient(x)), den) for x in variables))
    return sorted(found)


@dataclass(frozen=True)
class KinkSearchResult:
    pairs: tuple[tuple[str, str], ...]  # (below, above) patterns of every non-empty piece found
    seconds: float
    complete: bool
    checks: int


def z3_kink_search(land, time_cap: float | None = None) -> KinkSearchResult:
    """Kinks of a parameter-space landscape the plain way: every pair of regions, every surface
    ``g = 0`` on which they have opposite sides (a constraint of each, proportional), one fresh Z3
    query (QF_LRA, exact ``p/q`` text) on ``{g = 0, every other constraint strict, open box}``.

    Written from the regions' constraints alone (no symrelu kink code). Stops at ``time_cap``.
    """
    start = time.perf_counter()
    deadline = None if time_cap is None else start + time_cap
    problem = land.problem
    xs = [z3.Real(f"t{i}") for i in range(len(problem.parameters))]

    def term(poly) -> z3.ArithRef:
        total = _q(Fraction(0))
        for exponents, c in poly.terms:
            monomial = _q(c)
            for x, power in zip(xs, exponents, strict=True):
                for _ in range(power):
                    monomial = monomial * x
            total = total + monomial
        return total

    def ratio(p, g) -> Fraction | None:
        if len(p.terms) != len(g.terms) or [e for e, _ in p.terms] != [e for e, _ in g.terms]:
            return None
        c = p.terms[0][1] / g.terms[0][1]
        return c if all(a == c * b for (_, a), (_, b) in zip(p.terms, g.terms, strict=True)) else None

    box = [c for x, (lo, hi) in zip(xs, problem.domain, strict=True) for c in (x > _q(lo), x < _q(hi))]
    regions = sorted(land.regions, key=lambda r: r.pattern)
    found: list[tuple[str, str]] = []
    checks = 0
    for i, first in enumerate(regions):
        for second in regions[i + 1 :]:
            if deadline is not None and time.perf_counter() > deadline:
                return KinkSearchResult(tuple(sorted(found)), time.perf_counter() - start, False, checks)
            surfaces: list = []
            for _, p, sign in first.constraints:
                if p.degree < 1 or any(ratio(p, g) is not None for g, _ in surfaces):
                    continue
                if any((c := ratio(q, p)) is not None and sign * other * c < 0 for _, q, other in second.constraints):
                    surfaces.append((p, sign))
            for g, sign in surfaces:
                others = [(p, s) for r in (first, second) for _, p, s in r.constraints if ratio(p, g) is None]
                solver = z3.SolverFor("QF_LRA")
                solver.add(*box, term(g) == 0, *[(term(p) > 0) if s > 0 else (term(p) < 0) for p, s in others])
                checks += 1
                if solver.check() == z3.sat:
                    found.append((first.pattern, second.pattern) if sign < 0 else (second.pattern, first.pattern))
    return KinkSearchResult(tuple(sorted(found)), time.perf_counter() - start, True, checks)
