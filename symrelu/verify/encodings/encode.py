"""Exact building blocks for z3 formulas: rational constants, ReLU, |.|, SymPy polynomials.

Rationals enter z3 only as ``"p/q"`` text, never as floats.

>>> from fractions import Fraction
>>> z3_rational(Fraction(1, 10))
1/10
>>> x = z3.Real("x")
>>> relu(x)
If(x > 0, x, 0)
>>> import sympy
>>> w = sympy.Symbol("w")
>>> sympy_to_z3(sympy.Rational(1, 2) * w**2 - 3, {"w": z3.Real("w")})
-3 + 1/2*w*w
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import sympy
import z3

from ...activation import Activation
from ...errors import InputFormatError
from ...exact import z3_rational


def relu(z: z3.ArithRef) -> z3.ArithRef:
    """``max(z, 0)`` as an if-then-else term."""
    return z3.If(z > 0, z, z3_rational(0))


def activation(act: Activation, z: z3.ArithRef) -> z3.ArithRef:
    """``act(z)`` as a term: ReLU in its canonical form :func:`relu` (so ReLU formulas never change), any other
    activation from :meth:`Activation.build` over that ReLU (``s0 z + o0 + Σ c_j relu(z − b_j)``).

    >>> from symrelu.activation import RELU, leaky_relu
    >>> activation(RELU, z3.Real("z")), activation(leaky_relu(Fraction(1, 10)), z3.Real("z"))
    (If(z > 0, z, 0), 1/10*z + 0 + 9/10*If(z - 0 > 0, z - 0, 0))
    """
    if act.is_relu:
        return relu(z)
    return act.build(z, relu, z3_rational)


def relu_slope(z: z3.ArithRef) -> z3.ArithRef:
    """The derivative of ReLU off its kink: 1 where ``z > 0``, else 0 (valid only for ``z != 0``)."""
    return z3.If(z > 0, z3_rational(1), z3_rational(0))


def absolute(z: z3.ArithRef) -> z3.ArithRef:
    """``|z|`` as an if-then-else term."""
    return z3.If(z >= 0, z, -z)


def add_all(terms: Sequence[z3.ArithRef]) -> z3.ArithRef:
    """Sum of terms that stays valid SMT-LIB: no unary ``(+ x)``, ``0`` when empty."""
    if not terms:
        return z3_rational(0)
    return terms[0] if len(terms) == 1 else z3.Sum(list(terms))


def multiply_all(terms: Sequence[z3.ArithRef]) -> z3.ArithRef:
    """Product of terms without a unary ``(* x)``, ``1`` when empty."""
    if not terms:
        return z3_rational(1)
    return terms[0] if len(terms) == 1 else z3.Product(list(terms))


def dot(u: Sequence[z3.ArithRef], v: Sequence[z3.ArithRef]) -> z3.ArithRef:
    """Inner product, ``0`` for empty vectors."""
    if len(u) != len(v):
        raise InputFormatError(f"dot product of vectors of lengths {len(u)} and {len(v)}")
    return add_all([a * b for a, b in zip(u, v)])


def squared_norm(u: Sequence[z3.ArithRef]) -> z3.ArithRef:
    """``‖u‖₂²`` as a polynomial."""
    return dot(u, u)


def sympy_to_z3(expr: sympy.Expr, variables: Mapping[str, z3.ArithRef]) -> z3.ArithRef:
    """Translate a polynomial with rational coefficients to z3, refusing anything else.

    Max, Heaviside, floats and non-integer powers are refused: they have no
    exact polynomial meaning (differentiate each region's own polynomial instead).
    """
    expr = sympy.sympify(expr)
    if expr.is_Rational:
        return z3_rational(Fraction(int(expr.p), int(expr.q)))
    if expr.is_Symbol:
        if expr.name not in variables:
            raise InputFormatError(f"symbol {expr.name} has no z3 variable; known: {', '.join(sorted(variables))}")
        return variables[expr.name]
    if expr.is_Add:
        return add_all([sympy_to_z3(arg, variables) for arg in expr.args])
    if expr.is_Mul:
        return multiply_all([sympy_to_z3(arg, variables) for arg in expr.args])
    if expr.is_Pow and expr.exp.is_Integer and int(expr.exp) >= 1:
        base = sympy_to_z3(expr.base, variables)
        return multiply_all([base] * int(expr.exp))
    raise InputFormatError(
        f"cannot encode {expr} exactly: only polynomials with rational coefficients are accepted "
        "(no floats, Max, Heaviside, or negative/fractional powers)"
    )
