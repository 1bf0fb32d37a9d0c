"""Exact folding of a run of affine tensor operations into one network layer.

Between two ReLUs a graph may apply several affine operations (MatMul, Add, Gemm,
reshapes). :class:`AffineState` keeps their composition exactly, as a map from the
flattened activation vector ``a`` (length ``n``) to the current tensor ``T``:
``stack[0]`` is ``T`` at ``a = 0`` and ``stack[1 + j]`` is the coefficient tensor
of ``a[j]``. Batch dimensions are taken as 1, so every operation is a linear map on
flattened tensors and NumPy's own broadcasting rules give the exact answer on
object arrays of :class:`~fractions.Fraction`.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> w = np.array([[F(1), F(2)], [F(3), F(4)]], dtype=object)
>>> state = AffineState.identity((2,)).matmul(w, data_first=False, where="W·x")
>>> state = state.add(np.array([F(1, 2), F(0)], dtype=object), where="+b")
>>> state.to_rows()
(((Fraction(1, 1), Fraction(2, 1)), (Fraction(3, 1), Fraction(4, 1))), (Fraction(1, 2), Fraction(0, 1)))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import ShapeError

Shape = tuple[int, ...]


def _zeros(shape: Shape) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    out.fill(Fraction(0))
    return out


def _vector_like(shape: Shape, axis: int) -> bool:
    """True when every dimension except ``axis`` is 1 (so flattening keeps order along ``axis``)."""
    return all(size == 1 for i, size in enumerate(shape) if i != axis % len(shape))


@dataclass(frozen=True)
class AffineState:
    """The affine map from the last activation vector to the current tensor (see module doc).

    ``stack`` is ``None`` while the map is still the identity (nothing but reshapes
    applied), which keeps the first MatMul of a layer free of multiplications.
    """

    shape: Shape
    inputs: int
    stack: np.ndarray | None = None

    @classmethod
    def identity(cls, shape: Shape) -> AffineState:
        return cls(tuple(int(s) for s in shape), math.prod(shape), None)

    @property
    def is_identity(self) -> bool:
        return self.stack is None

    def _materialized(self) -> np.ndarray:
        if self.stack is not None:
            return self.stack
        n = self.inputs
        flat = _zeros((n + 1, n))
        for j in range(n):
            flat[1 + j, j] = Fraction(1)
        return flat.reshape((n + 1,) + self.shape)

    def _with(self, stack: np.ndarray) -> AffineState:
        return AffineState(tuple(stack.shape[1:]), self.inputs, stack)

    # ------------------------------------------------------------ operations
    def matmul(self, const: np.ndarray, data_first: bool, where: str) -> AffineState:
        """``T @ const`` (``data_first``) or ``const @ T``, with NumPy matmul semantics."""
        if const.ndim not in (1, 2):
            raise ShapeError(f"{where}: constant operand has shape {const.shape}; only 1-D or 2-D constants are supported")
        operands = (np.zeros(self.shape), np.zeros(const.shape))
        try:
            out_shape = np.matmul(*(operands if data_first else operands[::-1])).shape
        except ValueError:
            shapes = (self.shape, const.shape) if data_first else (const.shape, self.shape)
            raise ShapeError(f"{where}: cannot multiply shapes {shapes[0]} and {shapes[1]}") from None
        if len(self.shape) >= 1:
            contracted = -1 if data_first or len(self.shape) == 1 else -2
            if self.stack is None and const.ndim == 2 and _vector_like(self.shape, contracted):
                oriented = const if data_first else const.T
                stack = np.concatenate([_zeros((1,) + out_shape), oriented.reshape((oriented.shape[0],) + out_shape)])
                return self._with(stack)
        stack = self._materialized()
        if data_first:
            result = np.matmul(stack, const)
        elif len(self.shape) == 1:
            result = np.matmul(stack, const.T if const.ndim == 2 else const)
        else:
            result = np.matmul(const, stack)
        return self._with(np.asarray(result, dtype=object).reshape((self.inputs + 1,) + out_shape))

    def add(self, const: np.ndarray, where: str, same_shape: bool = False) -> AffineState:
        """``T + const`` with NumPy broadcasting (``same_shape``: the result may not grow, as in Gemm)."""
        try:
            out_shape = np.broadcast_shapes(self.shape, const.shape)
        except ValueError:
            raise ShapeError(f"{where}: cannot add shapes {self.shape} and {const.shape}") from None
        if same_shape and out_shape != self.shape:
            raise ShapeError(f"{where}: bias of shape {const.shape} does not broadcast to the output shape {self.shape}")
        stack = np.array(np.broadcast_to(self._materialized(), (self.inputs + 1,) + out_shape), dtype=object)
        stack[0] = stack[0] + const
        return self._with(stack)

    def multiply(self, const: np.ndarray, where: str) -> AffineState:
        """``T * const`` elementwise with NumPy broadcasting (Mul, Div and Neg by constants)."""
        try:
            out_shape = np.broadcast_shapes(self.shape, const.shape)
        except ValueError:
            raise ShapeError(f"{where}: cannot multiply shapes {self.shape} and {const.shape} elementwise") from None
        stack = np.array(np.broadcast_to(self._materialized(), (self.inputs + 1,) + out_shape), dtype=object)
        return self._with(np.asarray(stack * const, dtype=object))

    def reshape(self, shape: Shape) -> AffineState:
        """Same values, new shape (C order, so the flattened vector is unchanged)."""
        shape = tuple(int(s) for s in shape)
        if self.stack is None:
            return AffineState(shape, self.inputs, None)
        return self._with(self.stack.reshape((self.inputs + 1,) + shape))

    def swap_last_axes(self, where: str) -> AffineState:
        """Transpose a 2-D tensor (Gemm's transA/transB on the data operand)."""
        if len(self.shape) != 2:
            raise ShapeError(f"{where}: expected a 2-D tensor, got shape {self.shape}")
        swapped = (self.shape[1], self.shape[0])
        if self.stack is None and 1 in self.shape:
            return AffineState(swapped, self.inputs, None)
        return self._with(np.swapaxes(self._materialized(), 1, 2))

    # ---------------------------------------------------------------- result
    def to_rows(self) -> tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]:
        """``(weight rows, bias)`` of the layer: weight is out x in, ``out = prod(shape)``."""
        flat = self._materialized().reshape(self.inputs + 1, -1)
        weight = tuple(tuple(Fraction(v) for v in row) for row in flat[1:].T)
        bias = tuple(Fraction(v) for v in flat[0])
        return weight, bias
