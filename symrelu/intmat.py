"""Exact integer matrix products: numpy int64 when provably safe, Python ints otherwise.

>>> integer_matmul([[1, 2]], [[3], [4]])
[[11]]
>>> integer_matmul([[2**40]], [[2**40]])      # would overflow int64: exact anyway
[[1208925819614629174706176]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_INT64_SAFE = 2**62


def _max_abs(rows: Sequence[Sequence[int]]) -> int:
    return max((abs(v) for row in rows for v in row), default=0)


class IntegerMatrix:
    """A fixed integer matrix, ready to multiply exactly (``M @ rows``) many times.

    >>> IntegerMatrix([[1, -2]]) @ [[3, 0], [1, 5]]
    [[1, -10]]
    """

    def __init__(self, rows: Sequence[Sequence[int]]) -> None:
        self.rows = [list(row) for row in rows]
        self.max_abs = _max_abs(self.rows)
        self._int64 = np.asarray(self.rows, dtype=np.int64) if self.max_abs < _INT64_SAFE else None

    def __matmul__(self, right: Sequence[Sequence[int]]) -> list[list[int]]:
        inner = len(right)
        if inner == 0:
            return [[] for _ in self.rows]
        if self._int64 is not None:
            try:
                right64 = np.asarray(right, dtype=np.int64)
            except OverflowError:
                right64 = None
            if right64 is not None and right64.size and int(right64.min()) == np.iinfo(np.int64).min:
                right64 = None  # abs() of this one value overflows; take the exact path
            if right64 is not None and inner * self.max_abs * int(np.abs(right64).max(initial=0)) < _INT64_SAFE:
                return (self._int64 @ right64).tolist()
        product = np.asarray(self.rows, dtype=object) @ np.asarray(right, dtype=object)
        return [[int(v) for v in row] for row in product]


    def masked_matmul(self, right: Sequence[Sequence[int]], mask: Sequence[int]) -> list[list[int]]:
        """``M @ diag(mask) @ right`` for a 0/1 ``mask``: only the kept rows of ``right`` are used.

        >>> IntegerMatrix([[1, 1], [2, 3]]).masked_matmul([[1, 0], [5, 7]], [0, 1])
        [[5, 7], [15, 21]]
        """
        kept = [i for i, bit in enumerate(mask) if bit]
        if not kept:
            return [[0] * len(right[0]) for _ in self.rows]
        if self._int64 is not None and len(kept) < len(mask):
            return IntegerMatrix._from_int64(self._int64[:, kept]) @ [right[i] for i in kept]
        if len(kept) < len(mask):
            return IntegerMatrix([[row[i] for i in kept] for row in self.rows]) @ [right[i] for i in kept]
        return self @ right

    @staticmethod
    def _from_int64(array: np.ndarray) -> "IntegerMatrix":
        matrix = IntegerMatrix.__new__(IntegerMatrix)
        matrix._int64 = array
        matrix.max_abs = int(np.abs(array).max(initial=0))
        matrix.rows = array  # only used on the (never taken) object path below int64 limits
        return matrix


def integer_matmul(left: Sequence[Sequence[int]], right: Sequence[Sequence[int]]) -> list[list[int]]:
    """``left @ right`` exactly, as nested lists of Python ints.

    The int64 path is taken only when ``inner * max|left| * max|right| < 2**62``,
    which bounds every partial sum, so no overflow can occur.
    """
    return IntegerMatrix(left) @ right
