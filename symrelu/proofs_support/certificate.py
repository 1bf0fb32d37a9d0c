"""Coq certificates for a user's problem: claim C1 (no gradient-Lipschitz constant) as a ``.v`` file.

For a one-hidden-layer problem with a scalar output, the squared loss and
rational data, :func:`c1_certificate` finds (exactly, in rationals) a kink
point θ* where only data point ``i``'s kink of hidden neuron ``j`` is crossed
along one trainable parameter ``q`` (a bias, or an input weight whose input is
non-zero), with a non-zero output weight and residual. It writes the problem
as Coq tables and instantiates ``Network.c1_network`` (``proofs/coq``); every
side condition is checked by Coq's computation, so the file compiles only if
the kink point really has these properties.

>>> from symrelu.params.problem import problem_from_dict
>>> spec = {"network": {"layers": [{"weight": [["w1"], ["w2"]], "bias": ["0", "0"]},
...                                {"weight": [["1", "1"]], "bias": ["0"]}]},
...         "data": [{"x": ["1"], "y": ["1"]}], "loss": "squared"}
>>> cert = c1_certificate(problem_from_dict(spec), "paper")
>>> cert.parameter, cert.neuron, cert.data_point, [str(v) for v in cert.kink_point]
('w1', 0, 0, ['0', '1/2'])
>>> "Theorem c1_problem" in cert.text and "Admitted" not in cert.text
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy

from ..errors import InputFormatError, ShapeError
from ..params.problem import Problem
from .coq import CoqRun, check_texts

LIBRARY_FILES = ("SymReluLib.v", "Family.v", "Network.v")
_BASE_FRACTIONS = (Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(3, 4))
_FREE_VALUES = (Fraction(1, 2), Fraction(1), Fraction(-1, 2), Fraction(1, 3), Fraction(2), Fraction(-1))


@dataclass(frozen=True)
class Certificate:
    """The ``.v`` text and the kink point it certifies."""

    text: str
    parameter: str
    neuron: int
    data_point: int
    kink_point: tuple[Fraction, ...]


def coq_rational(value: Fraction) -> str:
    """A rational as a Coq real literal.

    >>> coq_rational(Fraction(-3, 4)), coq_rational(Fraction(5)), coq_rational(Fraction(0))
    ('(- (3 / 4))', '5', '0')
    """
    if value < 0:
        return f"(- {coq_rational(-value)})"
    return str(value.numerator) if value.denominator == 1 else f"({value.numerator} / {value.denominator})"


@dataclass(frozen=True)
class _Net:
    names: tuple[str, ...]
    weights: tuple[tuple[object, ...], ...]  # hidden j -> input l
    biases: tuple[object, ...]
    outputs: tuple[object, ...]
    out_bias: object
    xs: tuple[tuple[Fraction, ...], ...]
    ys: tuple[Fraction, ...]

    def value(self, w: object, th: Sequence[Fraction]) -> Fraction:
        if isinstance(w, sympy.Symbol):
            return th[self.names.index(w.name)]
        assert isinstance(w, Fraction)
        return w

    def pre(self, th: Sequence[Fraction], j: int, k: int) -> Fraction:
        return sum((self.value(w, th) * x for w, x in zip(self.weights[j], self.xs[k], strict=True)), Fraction(0)) + \
            self.value(self.biases[j], th)

    def output(self, th: Sequence[Fraction], k: int) -> Fraction:
        total = sum((self.value(a, th) * max(Fraction(0), self.pre(th, j, k)) for j, a in enumerate(self.outputs)),
                    Fraction(0))
        return total + self.value(self.out_bias, th)

    def coq(self, w: object) -> str:
        if isinstance(w, sympy.Symbol):
            return f"th {self.names.index(w.name)}%nat"
        assert isinstance(w, Fraction)
        return coq_rational(w)


def _net(problem: Problem) -> _Net:
    problem.network.require_relu("a Coq C1 certificate (proofs/coq/Network.v)")
    layers = problem.network.layers
    if len(layers) != 2 or layers[1].out_dim != 1 or problem.network.output_relu:
        raise ShapeError("a Coq C1 certificate needs one hidden layer and a single linear output "
                         f"(this network has {len(layers)} layers, output size {layers[-1].out_dim})")
    if problem.loss != "squared":
        raise InputFormatError(f"a Coq C1 certificate needs the squared loss, not {problem.loss!r}")
    xs = tuple(tuple(x) for x, _ in problem.data)
    ys = tuple(y[0] for _, y in problem.data)
    return _Net(problem.parameter_names, layers[0].weight, layers[0].bias, layers[1].weight[0], layers[1].bias[0], xs, ys)


def _bases(problem: Problem) -> Iterable[tuple[Fraction, ...]]:
    names = problem.parameter_names
    if problem.domain is not None:
        for f in _BASE_FRACTIONS:
            yield tuple(lo + (hi - lo) * f for lo, hi in problem.domain)
    for v in _FREE_VALUES:
        yield tuple(v for _ in names)


def _find(net: _Net, problem: Problem) -> tuple[tuple[Fraction, ...], int, int, int, int | None]:
    """(θ*, q, j, i, col) with col the input index of a moved weight (None: the bias moves)."""
    uses = Counter(w.name for row in (*net.weights, net.biases, net.outputs, (net.out_bias,))
                   for w in row if isinstance(w, sympy.Symbol))
    for base in _bases(problem):
        for j in range(len(net.biases)):
            moves: list[tuple[str, int | None]] = []
            bias = net.biases[j]
            if isinstance(bias, sympy.Symbol):
                moves.append((bias.name, None))
            moves += [(w.name, col) for col, w in enumerate(net.weights[j]) if isinstance(w, sympy.Symbol)]
            for name, col in moves:
                if uses[name] != 1:
                    continue
                q = net.names.index(name)
                for i in range(len(net.xs)):
                    c = Fraction(1) if col is None else net.xs[i][col]
                    if c == 0:
                        continue
                    th = list(base)
                    th[q] = Fraction(0)
                    th[q] = -net.pre(th, j, i) / c
                    if _works(net, tuple(th), j, i):
                        return tuple(th), q, j, i, col
    raise InputFormatError("no kink point found where exactly one neuron's kink is crossed with a non-zero output "
                           "weight and residual (is the loss smooth, e.g. tied weights?)")


def _works(net: _Net, th: tuple[Fraction, ...], j: int, i: int) -> bool:
    if net.value(net.outputs[j], th) == 0 or net.output(th, i) - net.ys[i] == 0:
        return False
    return all(net.pre(th, jj, k) != 0 for jj in range(len(net.biases)) for k in range(len(net.xs))
               if (jj, k) != (j, i))


def _table1(items: Sequence[str]) -> str:
    return "match j with " + " | ".join(f"{j}%nat => {v}" for j, v in enumerate(items)) + " | _ => 0 end"


def _table2(rows: Sequence[Sequence[str]], a: str, b: str) -> str:
    cases = [f"{r}%nat, {c}%nat => {v}" for r, row in enumerate(rows) for c, v in enumerate(row)]
    return f"match {a}, {b} with " + " | ".join(cases) + " | _, _ => 0 end"


def c1_certificate(problem: Problem, name: str) -> Certificate:
    """The Coq file proving C1 for ``problem`` (``name`` goes into its header only)."""
    net = _net(problem)
    th, q, j, i, col = _find(net, problem)
    n, m, d = len(net.xs), len(net.biases), len(net.xs[0]) if net.xs else 0
    args = f"{n} {m} {d}"
    point = "; ".join(f"{p} = {v}" for p, v in zip(net.names, th, strict=True))
    moved = f"the bias of hidden neuron {j}" if col is None else f"the weight of input {col} into hidden neuron {j}"
    coef = "1" if col is None else f"xv k {col}%nat"
    lines = [
        f"(** * C1 for {name}: generated by `symrelu proofs coq`; do not edit.",
        "",
        f"    Parameters (in order): {', '.join(f'{k} = {p}' for k, p in enumerate(net.names))}.",
        f"    Kink point: {point}. Moved parameter: {net.names[q]} ({moved}); crossed kink: data point {i}.",
        "    The theorem: for every L > 0 two parameter vectors, both off the kink set and differing only in",
        f"    {net.names[q]}, have partial derivatives (is_derive) of the loss in {net.names[q]} that differ by more",
        "    than L times their distance, so the loss gradient has no Lipschitz constant. *)",
        "",
        "From Coquelicot Require Import Coquelicot.",
        "Require Import Reals Lra Psatz.",
        "From SymRelu Require Import SymReluLib Family Network.",
        "Open Scope R_scope.",
        "",
        "Definition theta_star (idx : nat) : R := match idx with "
        + " | ".join(f"{k}%nat => {coq_rational(v)}" for k, v in enumerate(th)) + " | _ => 0 end.",
        f"Definition A_ (th : nat -> R) (j : nat) : R := {_table1([net.coq(a) for a in net.outputs])}.",
        f"Definition W_ (th : nat -> R) (j l : nat) : R := {_table2([[net.coq(w) for w in row] for row in net.weights], 'j', 'l')}.",
        f"Definition B_ (th : nat -> R) (j : nat) : R := {_table1([net.coq(b) for b in net.biases])}.",
        f"Definition C_ (th : nat -> R) : R := {net.coq(net.out_bias)}.",
        f"Definition xv (k l : nat) : R := {_table2([[coq_rational(x) for x in row] for row in net.xs], 'k', 'l')}.",
        "Definition yv (k : nat) : R := " + _table1([coq_rational(y) for y in net.ys]).replace("match j", "match k") + ".",
        f"Definition coef (k : nat) : R := {coef}.",
        "",
        "Ltac unfold_problem := unfold coef, out, preact, theta_star, A_, W_, B_, C_, xv, yv, upd; simpl.",
        "",
        "Theorem c1_problem (L : R) :",
        "  0 < L -> exists s g g', 0 < s /\\",
        f"    net_off_kinks {args} W_ B_ xv (upd theta_star {q} (theta_star {q}%nat + s)) /\\",
        f"    net_off_kinks {args} W_ B_ xv (upd theta_star {q} (theta_star {q}%nat - s)) /\\",
        f"    is_derive (fun t => ploss {args} A_ W_ B_ C_ xv yv (upd theta_star {q} t)) (theta_star {q}%nat + s) g /\\",
        f"    is_derive (fun t => ploss {args} A_ W_ B_ C_ xv yv (upd theta_star {q} t)) (theta_star {q}%nat - s) g' /\\",
        f"    L * Rabs ((theta_star {q}%nat + s) - (theta_star {q}%nat - s)) < Rabs (g - g').",
        "Proof.",
        f"  apply (c1_network {args} A_ W_ B_ C_ xv yv theta_star {q} {j} {i} coef).",
        "  - lia.",
        "  - lia.",
        "  - lia.",
        "  - intros t; reflexivity.",
        "  - intros t; reflexivity.",
        "  - intros j' k t Hj' Hne.",
        f"    do {m} (destruct j' as [| j']; [first [lia | split; reflexivity] |]). lia.",
        "  - intros k t Hk. unfold_problem. ring.",
        "  - unfold_problem. relu_simpl. lra.",
        "  - unfold_problem. intro; lra.",
        "  - intros k Hk Hki.",
        f"    do {n} (destruct k as [| k]; [first [lia | unfold_problem; intro; lra] |]). lia.",
        "  - intros j' k Hj' Hne Hk.",
        f"    do {m} (destruct j' as [| j']; [do {n} (destruct k as [| k]; [first [lia | unfold_problem; intro; lra] |]); lia |]).",
        "    lia.",
        "  - unfold_problem. intro; lra.",
        "  - unfold_problem. relu_simpl. intro; lra.",
        "Qed.",
        "",
        "Print Assumptions c1_problem.",
        "",
    ]
    return Certificate("\n".join(lines), net.names[q], j, i, th)


CERTIFICATE_FILE = "Problem_c1.v"


def check_certificate(text: str, library: Sequence[tuple[str, str]], jobs: int = 2) -> CoqRun:
    """Compile a certificate with the library files (name, text) it needs; ``Coq not installed`` if no coqc."""
    texts = dict(library)
    missing = [f for f in LIBRARY_FILES if f not in texts]
    if missing:
        raise InputFormatError(f"the Coq library is incomplete: {', '.join(missing)} missing")
    texts[CERTIFICATE_FILE] = text
    return check_texts(texts, jobs=jobs)
