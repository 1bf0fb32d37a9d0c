"""Kinks: boundaries between adjacent regions, and the gradient jump across them.

Two regions are adjacent across a surface ``g = 0`` (a constraint of each, with
opposite sides) when the piece ``{g = 0, every other constraint of both strict,
∇g ≠ 0}`` is non-empty: by the implicit function theorem it is then
(k−1)-dimensional. Every pair of regions is examined, whatever the number of
differing bits. A
kink is *dangerous* when the gradient jump ∇ℓ_above − ∇ℓ_below is non-zero
somewhere on that piece (decided by Z3, with an exact witness replayed here).

>>> from symrelu.params.examples import paper_instance
>>> from symrelu.params.landscape import enumerate_parameter_regions
>>> kinks = find_kinks(enumerate_parameter_regions(paper_instance()))
>>> [(k.below, k.above, k.dangerous) for k in kinks]
[('00', '01', True), ('00', '10', True), ('01', '11', True), ('10', '11', True)]
>>> [str(v) for v in kinks[0].jump], kinks[0].jump_at_witness
(['0', 'x1 - 1'], (Fraction(0, 1), Fraction(-1, 1)))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import z3

from ..errors import DomainError, SolverError
from ..parallel import TaskPool, make_pool
from .landscape import Landscape, ParameterRegion
from .polyhedra import AffineSystem
from .polynomial import Polynomial, any_nonzero_at, vector_at
from .problem import Point
from .switches import Switch
from .z3tools import (
    confirm_unsat,
    in_open_box,
    make_solver,
    rational_point_on_surface,
    real_vars,
    sign_constraint,
    strictly_satisfies,
    z3_box,
)


@dataclass(frozen=True)
class Kink:
    """The common boundary piece of two regions, on one surface."""

    switch_index: int
    switch: Switch
    switch_indices: tuple[int, ...]
    """Every switch of either region whose polynomial is a multiple of the surface's (tied neurons, later layers)."""
    below: str
    """Pattern on the side where the first switch's polynomial is < 0."""
    above: str
    """Pattern on the side where it is > 0."""
    surface: tuple[Polynomial, ...]
    """``(g_s,)``: the kink lies on ``g_s = 0``."""
    jump: tuple[Polynomial, ...]
    """∇ℓ_above − ∇ℓ_below as polynomials in θ."""
    witness: Point | None
    """An exact rational point of the common boundary (``None`` if only algebraic ones were found)."""
    dangerous: bool
    dangerous_witness: Point | None
    """A boundary point with a non-zero jump (exact), when one was found."""

    @property
    def jump_at_witness(self) -> tuple[Fraction, ...] | None:
        return None if self.witness is None else vector_at(self.jump, self.witness)

    @property
    def dangerous_jump(self) -> tuple[Fraction, ...] | None:
        return None if self.dangerous_witness is None else vector_at(self.jump, self.dangerous_witness)


def _check(solver: z3.Solver) -> bool:
    """Z3's answer; an ``unsat`` ("no such boundary point") counts only when cvc5 confirms it."""
    answer = solver.check()
    if answer == z3.unknown:
        raise SolverError(f"Z3 gave up on a kink query ({solver.reason_unknown()})")
    if answer == z3.unsat:
        confirm_unsat(solver, "a kink query")
    return answer == z3.sat


def _linear_kink(system: AffineSystem, g: Polynomial, others: list[tuple[Polynomial, int]], jump: tuple[Polynomial, ...]
                 ) -> tuple[bool, Point | None, Point | None] | None:
    """Exact polyhedra (ppl) for an affine surface, affine constraints and affine jumps: (found, witness, dangerous)."""
    if g.degree > 1 or any(p.degree > 1 for p, _ in others) or any(j.degree > 1 for j in jump):
        return None
    return _exact_piece(system, g, others, jump)


def _exact_piece(system: AffineSystem, g: Polynomial, others: list[tuple[Polynomial, int]], jump: tuple[Polynomial, ...]
                 ) -> tuple[bool, Point | None, Point | None]:
    """:func:`_linear_kink` once every polynomial is known to be affine."""
    witness, piece = system.solve(others, equalities=[g])
    if witness is None:
        return False, None, None
    if any_nonzero_at(jump, witness):
        return True, witness, witness
    for j in jump:
        if j.is_zero:
            continue
        for sign in (1, -1):
            if not system.meets(piece, j, sign):  # exactly empty: no second polyhedron needed
                continue
            point = system.interior_point(others + [(j, sign)], equalities=[g])
            if point is not None:
                return True, witness, point
    return True, witness, None


class NeedsSolver(Exception):  # noqa: N818 - a signal between a worker task and its caller, not an error
    """A kink piece that needs Z3, met by a search without a solver (a worker task): the caller decides it."""


SurfaceKey = tuple[tuple[tuple[int, ...], Fraction], ...]
"""A polynomial divided by its first coefficient: two non-zero polynomials are proportional iff their keys agree."""


_Entries = tuple[dict[tuple[int, int], tuple[Polynomial, int, int]], dict[int, list[int]], bool, dict[int, tuple[Polynomial, int]]]


@dataclass
class _Search:
    """What every pair test of one landscape shares: surface keys, gradients, the exact affine system."""

    land: Landscape
    timeout_ms: int | None
    system: AffineSystem | None
    keys: dict[int, tuple[Polynomial, int, int]] = field(default_factory=dict)
    """By ``id()`` (hashing a polynomial hashes its terms); each entry keeps its polynomial alive."""
    surfaces: dict[SurfaceKey, int] = field(default_factory=dict)
    """Each surface key, numbered."""
    gradients: dict[str, tuple[Polynomial, ...]] = field(default_factory=dict)
    sides: dict[str, dict[int, set[int]]] = field(default_factory=dict)
    by_region: dict[str, _Entries] = field(default_factory=dict)
    jumps: dict[tuple[str, ...], tuple[Polynomial, ...]] = field(default_factory=dict)
    solver: bool = True
    """False in a worker task: a piece that needs Z3 raises :class:`NeedsSolver`, left for the caller."""

    def key(self, p: Polynomial) -> tuple[int, int]:
        """``(number of p's surface key, sign of p's first coefficient)``: that sign times the key is ``p`` up
        to a positive factor, and two non-zero polynomials are proportional iff their numbers agree."""
        found = self.keys.get(id(p))
        if found is None:
            lead = p.terms[0][1]
            key = tuple((e, c / lead) for e, c in p.terms)
            number = self.surfaces.setdefault(key, len(self.surfaces))
            found = self.keys[id(p)] = (p, number, 1 if lead > 0 else -1)
        return found[1], found[2]

    def side(self, region: ParameterRegion) -> dict[int, set[int]]:
        """For each non-constant constraint surface of ``region``: the side(s) of its key the region lies on."""
        found = self.sides.get(region.pattern)
        if found is None:
            found = self.sides[region.pattern] = {}
            for _, p, sign in region.constraints:
                if p.degree >= 1:
                    key, lead = self.key(p)
                    found.setdefault(key, set()).add(sign * lead)
        return found

    def entries(self, region: ParameterRegion) -> _Entries:
        """``region``'s constraints once each by (polynomial, sign), with their surface numbers; the
        switch indices on each surface, in order; whether every constraint is affine; the first
        non-constant constraint ``(p, sign)`` on each surface."""
        found = self.by_region.get(region.pattern)
        if found is None:
            by_key: dict[tuple[int, int], tuple[Polynomial, int, int]] = {}
            indices: dict[int, list[int]] = {}
            first: dict[int, tuple[Polynomial, int]] = {}
            for index, p, sign in region.constraints:
                surface = self.key(p)[0]
                by_key.setdefault((id(p), sign), (p, sign, surface))
                indices.setdefault(surface, []).append(index)
                if p.degree >= 1:
                    first.setdefault(surface, (p, sign))
            affine = all(p.degree <= 1 for _, p, _ in region.constraints)
            found = self.by_region[region.pattern] = (by_key, indices, affine, first)
        return found

    def jump(self, above: ParameterRegion, below: ParameterRegion) -> tuple[Polynomial, ...]:
        """∇ℓ_above − ∇ℓ_below; equal jumps (many kinks share one) are one tuple of polynomials."""
        jump = tuple(a - b for a, b in zip(self.gradient(above), self.gradient(below), strict=False))
        return self.jumps.setdefault(tuple(j.fingerprint for j in jump), jump)

    def gradient(self, region: ParameterRegion) -> tuple[Polynomial, ...]:
        found = self.gradients.get(region.pattern)
        if found is None:
            found = self.gradients[region.pattern] = region.gradient
        return found


def _affine_kink(search: _Search, below: ParameterRegion, above: ParameterRegion, g: Polynomial) -> Kink | None:
    """:func:`_boundary_kink` for affine switches (``g`` and every constraint affine): exact polyhedra only.

    The same piece, with each of the two regions' shared constraints listed once (ppl decides
    a set of constraints, whatever their order and repetitions).
    """
    land, system = search.land, search.system
    below_keys, below_indices, below_affine, _ = search.entries(below)
    above_keys, above_indices, above_affine, _ = search.entries(above)
    if system is None or not (below_affine and above_affine and g.degree <= 1):
        return _boundary_kink(search, below, above, g)
    surface = search.key(g)[0]
    group = tuple(sorted({*below_indices[surface], *above_indices.get(surface, ())}))
    others = [(p, sign) for p, sign, on in {**below_keys, **above_keys}.values() if on != surface]
    jump = search.jump(above, below)
    if any(j.degree > 1 for j in jump):  # a jump of higher degree: Z3 decides the dangerous part
        return _boundary_kink(search, below, above, g)
    found, point, danger = _exact_piece(system, g, others, jump)
    if not found:
        return None
    s = below_indices[surface][0]
    return Kink(switch_index=s, switch=land.table.switches[s], switch_indices=group, below=below.pattern,
                above=above.pattern, surface=(g,), jump=jump, witness=point, dangerous=danger is not None,
                dangerous_witness=danger)


def _boundary_kink(search: _Search, below: ParameterRegion, above: ParameterRegion, g: Polynomial) -> Kink | None:
    """The piece ``{g = 0} ∩ D`` where every other constraint of both regions holds strictly, if non-empty
    (:class:`NeedsSolver` when it needs Z3 and ``search.solver`` is off)."""
    land, timeout_ms = search.land, search.timeout_ms
    problem = land.problem
    # Z3's models depend on the history of the terms it has seen: a problem that may need Z3 makes its
    # variables here for every piece, as before, so that it proposes the same witnesses
    variables = None if problem.is_linear else real_vars(problem.parameter_names)
    surface = search.key(g)[0]
    group = tuple(sorted({index for region in (below, above) for index, p, _ in region.constraints
                          if search.key(p)[0] == surface}))
    others = [(p, sign) for region in (below, above) for _, p, sign in region.constraints if search.key(p)[0] != surface]
    jump = tuple(a - b for a, b in zip(search.gradient(above), search.gradient(below), strict=False))
    s = next(index for index, p, _ in below.constraints if search.key(p)[0] == surface)

    def kink(witness: Point | None, dangerous_witness: Point | None, dangerous: bool) -> Kink:
        return Kink(switch_index=s, switch=land.table.switches[s], switch_indices=group, below=below.pattern,
                    above=above.pattern, surface=(g,), jump=jump, witness=witness, dangerous=dangerous,
                    dangerous_witness=dangerous_witness)

    exact = None if search.system is None else _linear_kink(search.system, g, others, jump)
    if exact is not None:
        found, point, danger = exact
        return kink(point, danger, danger is not None) if found else None
    if not search.solver:
        raise NeedsSolver
    if variables is None:
        variables = real_vars(problem.parameter_names)
    solver = make_solver(problem.is_linear, timeout_ms)
    solver.add(*z3_box(variables, problem.domain))
    solver.add(g.to_z3(variables) == 0, *(sign_constraint(p, sign, variables) for p, sign in others))
    regular = [d for d in g.gradient() if not d.is_zero]
    if g.degree > 1:
        solver.add(z3.Or(*(d.to_z3(variables) != 0 for d in regular)))

    def on_piece(point: Point) -> bool:
        return (
            strictly_satisfies(point, others)
            and in_open_box(point, problem.domain)
            and any(d(point) != 0 for d in regular)
        )

    if not _check(solver):
        return None
    witness = rational_point_on_surface(solver.model(), variables, g, on_piece)
    dangerous, dangerous_witness = False, None
    nonzero = [j for j in jump if not j.is_zero]
    if nonzero:
        if witness is not None and any(j(witness) != 0 for j in nonzero):
            dangerous, dangerous_witness = True, witness
        else:
            solver.add(z3.Or(*(j.to_z3(variables) != 0 for j in nonzero)))
            if _check(solver):
                dangerous = True
                dangerous_witness = rational_point_on_surface(
                    solver.model(), variables, g, lambda p: on_piece(p) and any(j(p) != 0 for j in nonzero)
                )
    return kink(witness, dangerous_witness, dangerous)


def _surface(search: _Search, first: ParameterRegion, second: ParameterRegion) -> tuple[ParameterRegion, ParameterRegion, Polynomial] | None:
    """``(below, above, g)`` when the two regions lie on opposite sides of exactly one surface ``g = 0``.

    On two or more such surfaces the pair has no kink: for each of them the other one's two
    constraints (``q > 0`` from one region, ``c q < 0`` with ``c > 0`` from the other) are
    contradictory, so the piece is empty (decided here, exactly, with no solver).
    """
    sides = search.side(second)
    opposite = [key for key, side in search.side(first).items() if any(-o in sides.get(key, ()) for o in side)]
    if len(opposite) != 1:
        return None
    for _, p, sign in first.constraints:
        if p.degree >= 1 and search.key(p)[0] == opposite[0]:
            return (first, second, p) if sign < 0 else (second, first, p)
    raise AssertionError("unreachable: the opposite surface is one of the first region's constraints")  # pragma: no cover


def _all_surfaces(search: _Search, first: ParameterRegion, second: ParameterRegion) -> list[tuple[ParameterRegion, ParameterRegion, Polynomial]]:
    """``(below, above, g)`` for every surface (up to a factor) on which the two regions lie on opposite sides."""
    sides = search.side(second)
    seen: set[int] = set()
    found = []
    for _, p, sign in first.constraints:
        if p.degree < 1:
            continue
        key, lead = search.key(p)
        if key in seen:
            continue
        if -sign * lead in sides.get(key, ()):
            seen.add(key)
            found.append((first, second, p) if sign < 0 else (second, first, p))
    return found


def _candidate_pairs(search: _Search, regions: list[ParameterRegion]) -> list[tuple[int, int, int | None]]:
    """Every pair ``(i, j, key)``, ``i < j``, whose regions lie on opposite sides of exactly one surface, and maybe more.

    The surfaces that every region constrains are indexed: each region's side of them is a bit
    mask, and a pair on opposite sides of exactly one of them differs in exactly one bit (a
    lookup), or in none (same mask: such pairs differ only on the other surfaces, and are all
    listed). :func:`_surface` then decides each listed pair exactly. When every region
    constrains exactly the indexed surfaces, on one side each, the pairs one bit apart are all
    there is, and each lies on opposite sides of that bit's surface alone: ``key`` names it (for
    the other pairs it is ``None``).
    """
    sides = [search.side(r) for r in regions]
    common = set(sides[0]) if sides else set()
    for side in sides[1:]:
        common &= set(side)
    universal = sorted(key for key in common if all(len(side[key]) == 1 for side in sides))
    masks = [sum(1 << u for u, key in enumerate(universal) if 1 in side[key]) for side in sides]
    index: dict[int, list[int]] = {}
    for i, mask in enumerate(masks):
        index.setdefault(mask, []).append(i)
    extra = len(common) < max((len(side) for side in sides), default=0) or len(universal) < len(common)
    pairs: list[tuple[int, int, int | None]] = []
    for i, mask in enumerate(masks):
        for u, key in enumerate(universal):
            pairs.extend((i, j, None if extra else key) for j in index.get(mask ^ (1 << u), ()) if j > i)
    if extra:
        for bucket in index.values():
            pairs.extend((a, b, None) for n, a in enumerate(bucket) for b in bucket[n + 1 :])
    pairs.sort()
    return pairs


def search_for(land: Landscape, timeout_ms: int | None = 60_000, solver: bool = True) -> _Search:
    """The shared state of every pair test of ``land`` (one exact affine system for its affine pieces)."""
    return _Search(land, timeout_ms, AffineSystem(len(land.problem.parameters), land.problem.domain), solver=solver)


def pair_kink(search: _Search, first: ParameterRegion, second: ParameterRegion, key: int | None = None) -> Kink | None:
    """The kink of a candidate pair of an affine-switch landscape, or None (:class:`NeedsSolver` as above).

    ``key``: the surface number from :func:`_candidate_pairs` when the pair is one bit apart on
    surfaces every region constrains once (then that surface alone separates them).
    """
    if key is None:
        found = _surface(search, first, second)
    else:
        p, sign = search.entries(first)[3][key]
        found = (first, second, p) if sign < 0 else (second, first, p)
    return None if found is None else _affine_kink(search, *found)


def find_kinks(
    land: Landscape,
    timeout_ms: int | None = 60_000,
    jobs: int = 1,
    client: Any = None,
    pool: TaskPool | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Kink, ...]:
    """All kinks of a landscape (inside its domain), sorted by (below, above).

    Every pair of regions is examined, whatever the number of bits in which
    their patterns differ (a switch that is identically 0 on one side, or tied
    neurons, make real neighbours differ in several bits), on every surface
    ``g = 0`` that carries a constraint of each with opposite sides. For a
    polyhedral problem (affine switches) this is complete: two polyhedral
    regions whose closures meet in a set of codimension one do so on a common
    constraint hyperplane, and the relative interior of that set satisfies every
    other constraint strictly. For nonlinear switches the list is a search;
    verdicts that need "no other kink" prove it separately
    (:func:`symrelu.verify.no_global_gradient_lipschitz` proves gradient
    continuity across every pair of region closures).

    For affine switches, pairs on opposite sides of two or more surfaces are
    dropped exactly before any test (:func:`_surface`), the remaining pairs are
    found through an index of the regions' sides (:func:`_candidate_pairs`) rather
    than by trying all of them, and affine pieces are decided by exact polyhedra
    (ppl, one shared :class:`~symrelu.params.polyhedra.AffineSystem`, each shared
    constraint of the two regions handed over once); a piece whose jump vanishes at
    its witness asks ppl's relation of that piece's polyhedron with each jump sign
    before building another. Other pieces go to Z3, every ``unsat`` confirmed by
    cvc5. Nonlinear switches keep the all-pairs search.

    For affine switches, ``jobs=N`` local processes, a Dask ``client`` or an open ``pool``
    decide blocks of candidate pairs as independent tasks
    (:func:`~symrelu.params.landscape_tasks.kink_split`): the same kinks and witnesses as a
    serial run. ``progress`` gets the number of candidate pairs decided so far.
    """
    problem = land.problem
    search = search_for(land, timeout_ms)  # affine pieces of any problem
    regions = sorted(land.regions, key=lambda r: r.pattern)
    kinks = []
    if not problem.is_linear:
        # nonlinear switches: every pair and surface asked in the old order, so that Z3 sees the same
        # sequence of queries and proposes the same witnesses as before
        for i, first in enumerate(regions):
            for second in regions[i + 1 :]:
                for below, above, g in _all_surfaces(search, first, second):
                    kink = _boundary_kink(search, below, above, g)
                    if kink is not None:
                        kinks.append(kink)
        kinks.sort(key=lambda k: (k.below, k.above, str(k.surface[0])))
        return tuple(kinks)
    pairs = _candidate_pairs(search, regions)
    chosen = pool if pool is not None else make_pool(jobs, client)
    if chosen.workers() > 1 and len(pairs) > 1:
        from .landscape_tasks import kink_split

        with chosen:
            kinks = kink_split(search, regions, pairs, chosen, progress)
    else:
        for n, (i, j, key) in enumerate(pairs, 1):
            kink = pair_kink(search, regions[i], regions[j], key)
            if kink is not None:
                kinks.append(kink)
            if progress is not None:
                progress(n)
    kinks.sort(key=lambda k: (k.below, k.above))  # one kink per pair at most: the order of (below, above, surface)
    return tuple(kinks)


def dangerous_kinks(kinks: tuple[Kink, ...]) -> tuple[Kink, ...]:
    """The kinks across which the gradient really jumps."""
    return tuple(k for k in kinks if k.dangerous)


def gradient_jump(land: Landscape, kink: Kink, point: Point) -> tuple[Fraction, ...]:
    """Exact ∇ℓ_above(θ) − ∇ℓ_below(θ) at a point θ of the kink's surface."""
    if kink.surface[0](point) != 0:
        raise DomainError(
            f"point {tuple(map(str, point))} is not on the kink between {kink.below} and {kink.above} "
            f"(surface value {kink.surface[0](point)})"
        )
    return vector_at(kink.jump, point)
