"""Hostile inputs to ``symrelu check``: one line and exit 2, or a correct answer; inputs never overwritten."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import pytest
import z3

from symrelu.cli.main import main

EXAMPLE = Path(__file__).parent.parent / "symrelu" / "examples" / "one_input.json"
HEAD = "(declare-const X_0 Real)(declare-const Y_0 Real)"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def z3_answer(lo: Fraction, hi: Fraction, unsafe: str) -> str:
    """Independent reference: the example net y = relu(x+1/2) - 2 relu(x) + 2 relu(x-1/2), encoded directly."""
    x, y = z3.Real("X_0"), z3.Real("Y_0")

    def relu(t: z3.ArithRef) -> z3.ArithRef:
        return z3.If(t > 0, t, 0)

    half = z3.Q(1, 2)
    solver = z3.Solver()
    solver.add(y == relu(x + half) - 2 * relu(x) + 2 * relu(x - half))
    solver.add(x >= z3.RealVal(str(lo)), x <= z3.RealVal(str(hi)))
    solver.add(z3.parse_smt2_string(f"(assert {unsafe})", decls={"X_0": x, "Y_0": y}))
    return str(solver.check())


@pytest.mark.parametrize("which", ["property", "network", "hardlink"])
def test_counterexample_never_overwrites_an_input(capsys: pytest.CaptureFixture[str], tmp_path: Path, which: str) -> None:
    net = tmp_path / "net.json"
    net.write_bytes(EXAMPLE.read_bytes())
    prop = tmp_path / "p.vnnlib"
    prop.write_text(HEAD + "(assert (>= X_0 -1))(assert (<= X_0 1))(assert (>= Y_0 0))")
    before = {p: p.read_bytes() for p in (net, prop)}
    target = {"property": prop, "network": net, "hardlink": tmp_path / "link.vnnlib"}[which]
    if which == "hardlink":
        os.link(prop, target)
    code, out, err = run(capsys, "check", str(net), str(prop), "--counterexample", str(target))
    assert code == 2 and out == "" and err.count("\n") == 1 and "input file" in err
    assert {p: p.read_bytes() for p in (net, prop)} == before


@pytest.mark.parametrize("deep", ["(assert " + "(and " * 3000 + "(>= Y_0 0)" + ")" * 3001,
                                  "(assert (>= Y_0 " + "(- " * 3000 + "0" + ")" * 3002])
def test_deep_nesting_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, deep: str) -> None:
    prop = tmp_path / "deep.vnnlib"
    prop.write_text(HEAD + "(assert (>= X_0 -1))(assert (<= X_0 1))" + deep)
    code, out, err = run(capsys, "check", str(EXAMPLE), str(prop))
    assert code == 2 and out == "" and err.count("\n") == 1 and "nested" in err


@pytest.mark.parametrize(
    ("lo", "hi", "unsafe", "reference"),
    [("-1e400", "1e400", "(< Y_0 0)", "(< Y_0 0)"),   # y >= 0 everywhere: unsat
     ("1e400", "1e400", "(>= Y_0 0)", "(>= Y_0 0)"),  # a point far beyond float range: sat, y = x - 1/2
     ("-1", "9" * 400, "(>= Y_0 (* 1e-390 X_0))", f"(>= Y_0 (* (/ 1 {10**390}) X_0))"),
     ("-1", "9" * 400, "(> Y_0 (* 1e390 X_0))", f"(> Y_0 (* {10**390} X_0))")],
)
def test_values_beyond_float_range_answer_exactly(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  lo: str, hi: str, unsafe: str, reference: str) -> None:
    prop = tmp_path / "big.vnnlib"
    prop.write_text(HEAD + f"(assert (>= X_0 {lo}))(assert (<= X_0 {hi})){f'(assert {unsafe})'}")
    code, out, _ = run(capsys, "check", str(EXAMPLE), str(prop), "--json")
    data = json.loads(out)
    assert code == 0 and data["result"] == z3_answer(Fraction(lo), Fraction(hi), reference)
    if data["result"] == "sat":
        x = Fraction(data["counterexample"]["X_0"])
        assert Fraction(lo) <= x <= Fraction(hi)
    code, out, _ = run(capsys, "check", str(EXAMPLE), str(prop))  # the text report prints huge values too
    assert code == 0 and out.startswith(data["result"])


@pytest.mark.parametrize(("unsafe", "expected"), [("(< Y_0 0)", "unsat"), ("(> Y_0 1)", "sat")])
def test_weight_beyond_float_range(capsys: pytest.CaptureFixture[str], tmp_path: Path, unsafe: str, expected: str) -> None:
    """y = relu(10^400 x) on [-1, 1] (hand algebra: y >= 0 everywhere, y = 10^400 at x = 1); was an OverflowError."""
    net = tmp_path / "huge.json"
    net.write_text(json.dumps({"layers": [{"weight": [["1e400"]], "bias": ["0"]}, {"weight": [["1"]], "bias": ["0"]}],
                               "output_relu": False}))
    prop = tmp_path / "p.vnnlib"
    prop.write_text(HEAD + f"(assert (>= X_0 -1))(assert (<= X_0 1))(assert {unsafe})")
    code, out, _ = run(capsys, "check", str(net), str(prop), "--json")
    data = json.loads(out)
    assert code == 0 and data["result"] == expected
    if expected == "sat":
        x = Fraction(data["counterexample"]["X_0"])
        assert 0 < x <= 1 and Fraction(data["counterexample"]["Y_0"]) == 10**400 * x > 1
