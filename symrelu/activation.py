"""Piecewise-linear activations: one immutable type that every stage consumes.

An :class:`Activation` is a continuous piecewise-linear function of one real
variable, given by its breakpoints ``b_1 < ... < b_k`` and the slope and offset
of each of its ``k + 1`` pieces. Piece ``s`` (the neuron's *state*) holds on
``b_s < z <= b_{s+1}``: the state is the number of breakpoints strictly below
``z``, so at a breakpoint the lower piece is chosen, as ReLU's pattern bit is 0
at ``z = 0``. Every such function is also

    f(z) = slopes[0] * z + offsets[0] + sum_j (slopes[j] - slopes[j-1]) * relu(z - b_j),

which gives its SMT encoding, its SymPy closed form and its smooth surrogate
from one mechanism.

>>> from fractions import Fraction as F
>>> leaky = leaky_relu(F(1, 10))
>>> leaky.evaluate(F(-2)), leaky.state(F(-2)), leaky.clarke(F(0))
(Fraction(-1, 5), 0, (Fraction(1, 10), Fraction(1, 1)))
>>> relu6 = clip(0, 6)
>>> [relu6.state(F(v)) for v in (-1, 0, 3, 6, 7)], relu6.evaluate(F(7))
([0, 0, 1, 1, 2], Fraction(6, 1))
>>> RELU.is_relu, leaky.is_relu, str(leaky)
(True, False, 'leaky_relu(alpha=1/10)')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from .errors import InputFormatError

T = TypeVar("T")

MAX_BREAKPOINTS = 9
"""A neuron's state prints as one digit, so an activation has at most 9 breakpoints (10 pieces)."""


@dataclass(frozen=True)
class Activation:
    """A continuous piecewise-linear activation with exact rational pieces.

    ``name`` and ``params`` only label it (``str`` prints them); the pieces
    define it. Construct with :data:`RELU`, :func:`leaky_relu`, :func:`abs_`,
    :func:`clip` or :func:`piecewise`.
    """

    name: str
    breakpoints: tuple[Fraction, ...]
    slopes: tuple[Fraction, ...]
    offsets: tuple[Fraction, ...]
    params: tuple[tuple[str, Fraction], ...] = ()

    def __post_init__(self) -> None:
        if len(self.slopes) != len(self.breakpoints) + 1 or len(self.offsets) != len(self.slopes):
            raise InputFormatError(f"activation {self.name}: {len(self.breakpoints)} breakpoints need {len(self.breakpoints) + 1} pieces")
        if not self.breakpoints:
            raise InputFormatError(f"activation {self.name}: an affine function is not an activation (no breakpoint)")
        for value in (*self.breakpoints, *self.slopes, *self.offsets, *(v for _, v in self.params)):
            if type(value) is not Fraction:
                raise InputFormatError(f"activation {self.name}: {value!r} is not an exact Fraction")
        if len(self.breakpoints) > MAX_BREAKPOINTS:
            raise InputFormatError(
                f"activation {self.name}: {len(self.breakpoints)} breakpoints; at most {MAX_BREAKPOINTS} (a pattern prints one digit per state)"
            )
        if any(a >= b for a, b in zip(self.breakpoints, self.breakpoints[1:])):
            raise InputFormatError(f"activation {self.name}: breakpoints must increase strictly")
        for j, b in enumerate(self.breakpoints):
            left = self.slopes[j] * b + self.offsets[j]
            right = self.slopes[j + 1] * b + self.offsets[j + 1]
            if left != right:
                raise InputFormatError(f"activation {self.name}: pieces {j} and {j + 1} disagree at the breakpoint {b} ({left} vs {right})")
            if self.slopes[j] == self.slopes[j + 1]:
                raise InputFormatError(f"activation {self.name}: breakpoint {b} joins two pieces of equal slope; drop it")

    # ------------------------------------------------------------- structure
    @property
    def states(self) -> int:
        """How many pieces (states) a neuron with this activation has."""
        return len(self.slopes)

    @property
    def is_relu(self) -> bool:
        return self is RELU or self.breakpoints == (Fraction(0),) and self.slopes == (Fraction(0), Fraction(1)) and self.offsets == (Fraction(0), Fraction(0))

    @property
    def is_convex(self) -> bool:
        """Slopes increase: ReLU, LeakyReLU (alpha < 1), Abs."""
        return all(a < b for a, b in zip(self.slopes, self.slopes[1:]))

    @property
    def kinks(self) -> tuple[tuple[Fraction, Fraction], ...]:
        """``(b_j, slopes[j] - slopes[j-1])``: the breakpoints with their slope jumps."""
        return tuple((b, self.slopes[j + 1] - self.slopes[j]) for j, b in enumerate(self.breakpoints))

    def __str__(self) -> str:
        if not self.params:
            return self.name
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in self.params)})"

    # ------------------------------------------------------------ evaluation
    def state(self, z: Fraction) -> int:
        """The piece index at ``z``: how many breakpoints lie strictly below ``z``."""
        return sum(1 for b in self.breakpoints if z > b)

    def piece(self, state: int) -> tuple[Fraction, Fraction]:
        """``(slope, offset)`` of piece ``state``."""
        if not 0 <= state < self.states:
            raise InputFormatError(f"activation {self}: state {state} is not one of 0..{self.states - 1}")
        return self.slopes[state], self.offsets[state]

    def evaluate(self, z: Fraction) -> Fraction:
        slope, offset = self.piece(self.state(z))
        return slope * z + offset

    def clarke(self, z: Fraction) -> tuple[Fraction, Fraction]:
        """The Clarke derivative at ``z`` as an interval ``(lo, hi)``.

        Off the breakpoints it is the slope; at ``b_j`` it is the hull of the two adjacent slopes.
        """
        for j, b in enumerate(self.breakpoints):
            if z == b:
                pair = (self.slopes[j], self.slopes[j + 1])
                return min(pair), max(pair)
        slope = self.slopes[self.state(z)]
        return slope, slope

    def backprop_slope(self, z: Fraction, s: Fraction) -> Fraction:
        """The slope reverse-mode differentiation uses at ``z`` when ``relu'(0) = s``.

        Off the breakpoints it is the piece's slope; at ``b_j`` it is ``(1 - s)`` times the slope on
        the left plus ``s`` times the slope on the right (ReLU: ``s``; ``s = 0``: the left piece, as
        PyTorch's LeakyReLU; Abs with ``s = 1/2``: 0, as PyTorch).

        >>> [leaky_relu(Fraction(1, 10)).backprop_slope(Fraction(z), Fraction(1, 2)) for z in (-1, 0, 1)]
        [Fraction(1, 10), Fraction(11, 20), Fraction(1, 1)]
        """
        state = self.state(z)
        if state < len(self.breakpoints) and z == self.breakpoints[state]:
            return (1 - s) * self.slopes[state] + s * self.slopes[state + 1]
        return self.slopes[state]

    def interval_image(self, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
        """The exact range of the activation over ``[lo, hi]``."""
        points = [lo, hi, *(b for b in self.breakpoints if lo < b < hi)]
        values = [self.evaluate(p) for p in points]
        return min(values), max(values)

    # ------------------------------------------------------ symbolic forms
    def build(self, z: T, relu: Callable[[T], T], const: Callable[[Fraction], T]) -> T:
        """Build ``f(z)`` in any term language from ``relu``, constants, ``+`` and ``*``.

        >>> leaky_relu(Fraction(1, 2)).build(Fraction(-4), lambda t: max(t, Fraction(0)), lambda c: c)
        Fraction(-2, 1)
        """
        term: Any = const(self.slopes[0]) * z + const(self.offsets[0])  # type: ignore[operator]
        for b, jump in self.kinks:
            term = term + const(jump) * relu(z - const(b))  # type: ignore[operator]
        return term

    def sympy_form(self, z: Any) -> Any:
        """The SymPy ``Piecewise`` closed form of ``f(z)``."""
        import sympy

        pieces = []
        for state, b in enumerate(self.breakpoints):
            slope, offset = self.piece(state)
            pieces.append((sympy.Rational(slope) * z + sympy.Rational(offset), z <= sympy.Rational(b)))
        slope, offset = self.piece(self.states - 1)
        pieces.append((sympy.Rational(slope) * z + sympy.Rational(offset), True))
        return sympy.Piecewise(*pieces)

    def z3_term(self, z: Any) -> Any:
        """The Z3 term of ``f(z)`` as an ``If`` chain over the pieces."""
        import z3

        from .exact import z3_rational as rational

        slope, offset = self.piece(self.states - 1)
        term = rational(slope) * z + rational(offset)
        for state in reversed(range(len(self.breakpoints))):
            slope, offset = self.piece(state)
            term = z3.If(z <= rational(self.breakpoints[state]), rational(slope) * z + rational(offset), term)
        return term


def piecewise(name: str, breakpoints: Sequence[object], slopes: Sequence[object], offsets: Sequence[object], params: Sequence[tuple[str, object]] = ()) -> Activation:
    """Build an :class:`Activation` from numbers or text, converted exactly.

    >>> str(piecewise("hardtanh", [-1, 1], [0, 1, 0], [-1, 0, 1]))
    'hardtanh'
    """
    from .exact import to_rational

    def exact(values: Sequence[object], what: str) -> tuple[Fraction, ...]:
        return tuple(to_rational(v, where=f"activation {name} {what}[{i}]") for i, v in enumerate(values))

    return Activation(
        name,
        exact(breakpoints, "breakpoint"),
        exact(slopes, "slope"),
        exact(offsets, "offset"),
        tuple((key, to_rational(value, where=f"activation {name} {key}")) for key, value in params),
    )


RELU = Activation("relu", (Fraction(0),), (Fraction(0), Fraction(1)), (Fraction(0), Fraction(0)))
"""The rectifier ``max(z, 0)``."""


def leaky_relu(alpha: object) -> Activation:
    """``max(z, alpha z)`` for ``alpha != 1`` (PReLU is one per neuron)."""
    act = piecewise("leaky_relu", [0], [alpha, 1], [0, 0], [("alpha", alpha)])
    return act


def abs_() -> Activation:
    """``|z|``."""
    return piecewise("abs", [0], [-1, 1], [0, 0])


def clip(low: object, high: object) -> Activation:
    """``min(max(z, low), high)``: HardTanh is ``clip(-1, 1)``, ReLU6 is ``clip(0, 6)``."""
    act = piecewise("clip", [low, high], [0, 1, 0], [low, 0, high], [("min", low), ("max", high)])
    return act
