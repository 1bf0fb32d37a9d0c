"""Exact integer matrix products: numpy int64 when provably safe, Python ints otherwise.

>>> integer_matmul([[1, 2]], [[3], [4]])
[[11]]
>>> integer_matmul([[2**40]], [[2**40]])      # would overflow int64: exact anyway
[[1208925819614629174706176]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

INT64_SAFE = 2**62
"""Below this bound on every partial sum, int64 arithmetic is exact."""


def _max_abs(rows: Sequence[Sequence[int]]) -> int:
    return max((abs(v) for row in rows for v in row), default=0)


def array_max_abs(array: np.ndarray) -> int:
    """The largest absolute entry of an integer array (int64 or Python integers), 0 when empty.

    >>> array_max_abs(np.array([[3, -7], [2, 5]]))
    7
    """
    if array.size == 0:
        return 0
    if array.dtype == object:
        return max(abs(int(v)) for v in array.flat)
    return max(abs(int(array.max())), abs(int(array.min())))


def _exact_product(left: object, right: Sequence[Sequence[int]]) -> list[list[int]]:
    product = np.asarray(left, dtype=object) @ np.asarray(right, dtype=object)
    return [[int(v) for v in row] for row in product]


def _as_safe_int64(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, int] | None:
    """``rows`` as int64 with its largest magnitude, or ``None`` when that is not exact."""
    try:
        array = np.asarray(rows, dtype=np.int64)
    except OverflowError:
        return None
    if array.size and int(array.min()) == np.iinfo(np.int64).min:
        return None  # abs() of this one value overflows
    return array, int(np.abs(array).max(initial=0))


@dataclass(frozen=True)
class IntegerMatrix:
    """A fixed integer matrix, ready to multiply exactly (``M @ rows``) many times.

    The int64 path is taken only when ``inner * max|M| * max|rows| < 2**62``,
    which bounds every partial sum, so no overflow can occur.

    >>> IntegerMatrix(((1, -2),)) @ [[3, 0], [1, 5]]
    [[1, -10]]
    >>> IntegerMatrix(((1, 1), (2, 3))).masked_matmul([[1, 0], [5, 7]], [0, 1])
    [[5, 7], [15, 21]]
    """

    rows: tuple[tuple[int, ...], ...]
    _int64: np.ndarray | None = field(init=False, repr=False, compare=False)
    _max_abs: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        safe = _as_safe_int64(self.rows) if self.rows else None
        object.__setattr__(self, "_int64", safe[0] if safe else None)
        object.__setattr__(self, "_max_abs", _max_abs(self.rows))

    @property
    def int64(self) -> np.ndarray | None:
        """The matrix as int64, when every entry fits (``max_abs`` bounds them)."""
        return self._int64

    @property
    def max_abs(self) -> int:
        return self._max_abs

    def __matmul__(self, right: Sequence[Sequence[int]]) -> list[list[int]]:
        return self._product(None, right)

    def masked_matmul(self, right: Sequence[Sequence[int]], mask: Sequence[int]) -> list[list[int]]:
        """``M @ diag(mask) @ right`` for a 0/1 ``mask``: only the kept rows of ``right`` are used."""
        kept = [i for i, bit in enumerate(mask) if bit]
        if not kept:
            return [[0] * len(right[0]) for _ in self.rows]
        if len(kept) == len(mask):
            return self._product(None, right)
        return self._product(kept, [right[i] for i in kept])

    def _product(self, columns: list[int] | None, right: Sequence[Sequence[int]]) -> list[list[int]]:
        if not right:
            return [[] for _ in self.rows]
        if self._int64 is not None:
            safe = _as_safe_int64(right)
            if safe is not None and len(right) * self._max_abs * safe[1] < INT64_SAFE:
                left = self._int64 if columns is None else self._int64[:, columns]
                return (left @ safe[0]).tolist()
        left_rows = self.rows if columns is None else [[row[c] for c in columns] for row in self.rows]
        return _exact_product(left_rows, right)


def integer_matmul(left: Sequence[Sequence[int]], right: Sequence[Sequence[int]]) -> list[list[int]]:
    """``left @ right`` exactly, as nested lists of Python ints."""
    return IntegerMatrix(tuple(tuple(row) for row in left)) @ right
