from collections.abc import Callable

import numpy as np

LINE_BOUND: int

def cut_layer(
    E_in: np.ndarray,
    T_in: np.ndarray,
    C_in: np.ndarray,
    n: int,
    rows: np.ndarray,
    tag_base: int,
    check: Callable[[int], None],
    wide: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]: ...
