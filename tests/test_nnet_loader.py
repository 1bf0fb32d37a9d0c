"""The .nnet loader: the file's own network (normalisation recorded, not applied), checked against Marabou."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from symrelu.errors import InputFormatError, NonFiniteError, ShapeError
from symrelu.loaders import load_network
from symrelu.loaders.nnet_format import load_nnet_with_header


def write_nnet(path: Path, weights: list[np.ndarray], biases: list[np.ndarray], means: list[float], ranges: list[float]) -> Path:
    sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]
    n = sizes[0]
    lines = ["// written by the symrelu tests", f"{len(weights)},{n},{sizes[-1]},{max(sizes)},", ",".join(map(str, sizes)) + ",", "0,"]
    lines += [",".join(["-1"] * n) + ",", ",".join(["1"] * n) + ","]
    lines += [",".join(repr(float(v)) for v in means) + ",", ",".join(repr(float(v)) for v in ranges) + ","]
    for w, b in zip(weights, biases, strict=True):
        lines += [",".join(repr(float(v)) for v in row) + "," for row in w]
        lines += [repr(float(v)) + "," for v in b]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def nnet_file(tmp_path: Path) -> tuple[Path, list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(7)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(4, 4)), rng.normal(size=(2, 4))]
    biases = [rng.normal(size=4), rng.normal(size=4), rng.normal(size=2)]
    return write_nnet(tmp_path / "net.nnet", weights, biases, [0.5, -1.0, 2.0, 3.0], [2.0, 4.0, 0.5, 7.0]), weights, biases


def test_nnet_matches_marabou_on_its_own_inputs(nnet_file: tuple[Path, list[np.ndarray], list[np.ndarray]]) -> None:
    from maraboupy import Marabou

    path, _, _ = nnet_file
    before = path.read_bytes()
    net, header = load_nnet_with_header(path)
    marabou = Marabou.read_nnet(str(path), normalize=False)
    rng = np.random.default_rng(1)
    for _ in range(5):
        x = rng.uniform(-1, 1, size=3)
        exact = [float(v) for v in net.evaluate([Fraction(float(v)) for v in x])]
        theirs = np.asarray(marabou.evaluateWithoutMarabou(x.reshape(1, 3))).reshape(-1)
        assert np.allclose(exact, theirs, rtol=1e-9, atol=1e-9)
    assert header.means == tuple(Fraction(v) for v in (0.5, -1.0, 2.0, 3.0))  # recorded ...
    assert header.ranges[-1] == 7 and header.input_minimums == (-1, -1, -1)
    assert path.read_bytes() == before


def test_nnet_policies(nnet_file: tuple[Path, list[np.ndarray], list[np.ndarray]], tmp_path: Path) -> None:
    path, weights, _ = nnet_file
    exact = load_network(path)
    assert exact.layers[0].weight[0][0] == Fraction(float(weights[0][0, 0]))  # the float64 the text denotes
    text = path.read_text().replace(repr(float(weights[0][0, 0])), "0.1", 1)
    other = tmp_path / "tenth.nnet"
    other.write_text(text)
    assert load_network(other, policy="decimal").layers[0].weight[0][0] == Fraction(1, 10)
    assert load_network(other).layers[0].weight[0][0] == Fraction(0.1)
    assert load_network(other).policy == "exact"


@pytest.mark.parametrize(
    ("edit", "error", "fragment"),
    [
        (lambda t: t.replace("3,4,4,2,", "3,4,4,", 1), ShapeError, "layer sizes"),
        (lambda t: "\n".join(t.splitlines()[:-3]), InputFormatError, "ends before"),
        (lambda t: t + "1,2,\n", InputFormatError, "unexpected data"),
        (lambda t: t.replace("0,\n", "zero,\n", 1), InputFormatError, "line 4"),
        (lambda t: t.replace("2.0,3.0,", "2.0,1e350,", 1), NonFiniteError, "overflows"),
        (lambda t: t.replace("2.0,3.0,", "2.0,1e999999999,", 1), NonFiniteError, "outside the float64 range"),
    ],
)
def test_bad_nnet_is_one_line(nnet_file: tuple[Path, list[np.ndarray], list[np.ndarray]], tmp_path: Path, edit, error, fragment) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = nnet_file
    bad = tmp_path / "bad.nnet"
    bad.write_text(edit(path.read_text()))
    before = bad.read_bytes()
    with pytest.raises(error) as info:
        load_network(bad)
    assert fragment in str(info.value) and "\n" not in str(info.value)
    assert bad.read_bytes() == before
