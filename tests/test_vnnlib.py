"""VNN-LIB 1.0 reader: exact numbers, the DNF shape (cross-checked with Z3's own SMT-LIB parser), one-line errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.check.property import Property
from symrelu.check.vnnlib import load_vnnlib, parse_vnnlib
from symrelu.errors import InputFormatError, ShapeError

HEADER = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n"
BOX = "(assert (<= X_0 1))\n(assert (>= X_0 -1))\n(assert (<= X_1 0.25))\n(assert (>= X_1 0))\n"


def z3_formula(prop: Property) -> z3.BoolRef:
    xs = [z3.Real(f"X_{i}") for i in range(prop.inputs)]
    ys = [z3.Real(f"Y_{j}") for j in range(prop.outputs)]
    env = {**{f"X_{i}": v for i, v in enumerate(xs)}, **{f"Y_{j}": v for j, v in enumerate(ys)}}
    disjuncts = []
    for d in prop.disjuncts:
        parts = [z3.And(lo <= x, x <= hi) for x, (lo, hi) in zip(xs, d.box, strict=True)]
        for c in d.constraints:
            term = z3.Sum([z3.RealVal(str(v)) * env[n] for n, v in c.terms] + [z3.RealVal(str(c.constant))])
            parts.append(term < 0 if c.strict else term <= 0)
        disjuncts.append(z3.And(parts))
    return z3.Or(disjuncts)


@pytest.mark.parametrize(
    "body",
    [
        "(assert (<= Y_0 Y_1))",
        "(assert (or (and (>= Y_0 (* 2 X_0)) (< Y_1 -3)) (and (= (+ Y_0 Y_1) 0.125))))",
        "(assert (or (and (<= (- Y_0 (* -1.5 Y_1) 3) 0)) (and (> Y_1 (- X_1)))))\n(assert (or (<= Y_0 100.0) (>= Y_1 7)))",
        "(assert (and (<= X_0 0.5) (or (<= Y_0 0) (> Y_0 10))))",
    ],
)
def test_dnf_is_equivalent_to_z3s_reading(body: str) -> None:
    text = HEADER + BOX + body
    prop = parse_vnnlib(text, "p.vnnlib")
    theirs = z3.And(list(z3.parse_smt2_string(text)))
    solver = z3.Solver()
    solver.add(z3_formula(prop) != theirs)
    assert solver.check() == z3.unsat


@settings(max_examples=40, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-10**6, max_value=10**6), st.integers(-30, 30))
def test_numbers_are_the_rationals_written(value, exponent) -> None:  # type: ignore[no-untyped-def]
    text = f"{value:f}e{exponent}"
    prop = parse_vnnlib(HEADER + BOX + f"(assert (<= Y_0 {text}))")
    assert prop.disjuncts[0].constraints[0].constant == -Fraction(text)
    assert prop.disjuncts[0].box[1] == (Fraction(0), Fraction(1, 4))


def test_scientific_notation_which_z3s_parser_refuses() -> None:
    text = HEADER + BOX + "(assert (<= Y_0 2.5e-1))"
    assert parse_vnnlib(text).disjuncts[0].constraints[0].constant == Fraction(-1, 4)
    with pytest.raises(z3.Z3Exception):
        z3.parse_smt2_string(text)


def test_bundled_properties(shared_nets: Path) -> None:
    prop = load_vnnlib(shared_nets / "test_prop.vnnlib")
    assert (prop.inputs, prop.outputs, len(prop.disjuncts)) == (5, 5, 1)
    assert prop.disjuncts[0].box[0] == (Fraction("-0.30353115613746867"), Fraction("-0.29855281193475053"))
    assert [str(c) for c in prop.disjuncts[0].constraints] == [f"Y_0 - Y_{j} <= 0" for j in range(1, 5)]
    small = load_vnnlib(shared_nets / "test_small.vnnlib")
    assert small.disjuncts[0].box == ((-1, 1),) and str(small.disjuncts[0].constraints[0]) == "-Y_0 + 100 <= 0"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("(assert (<= (* Y_0 Y_1) 1))", "line 9: a product of two variables is not linear"),
        ("(assert (<= Y_7 1))", "line 9: variable Y_7 is used but never declared"),
        ("(assert (<= Z 1))", "line 9: 'Z' is neither a number"),
        ("(assert (<= Y_0 1)", "line 9: '(' opened here is never closed"),
        ("(assert (<= Y_0 1)))", "line 9: unbalanced ')'"),
        ("(assert (ite (<= Y_0 1) true false))", "line 9: (ite ...) is not a VNN-LIB 1.0 formula"),
        ("(assert (<= (/ Y_0 2) 1))", "line 9: term (/ ...) is not supported"),
        ("(declare-const W Real)", "line 9: variable 'W' is not an input"),
        ("(declare-const Y_0 Real)", "line 9: variable Y_0 is declared twice (first on line 3)"),
        ("(define-fun f () Real 1)", "line 9: command 'define-fun'"),
        ("(assert (<= Y_0 1e999999999))", "line 9: number 1e999999999 has an exponent beyond"),
        ("(assert (<= Y_0 nan))", "line 9: 'nan' is neither a number"),
    ],
)
def test_bad_text_names_the_line(body: str, fragment: str) -> None:
    with pytest.raises(InputFormatError) as info:
        parse_vnnlib(HEADER + BOX + body, "bad.vnnlib")
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_unbounded_input_names_its_declaration() -> None:
    with pytest.raises(InputFormatError, match=r"bad.vnnlib line 2: input X_1 has no lower bound"):
        parse_vnnlib(HEADER + "(assert (<= X_0 1))\n(assert (>= X_0 -1))\n(assert (<= X_1 1))\n(assert (<= Y_0 0))", "bad.vnnlib")
    with pytest.raises(InputFormatError, match="X_1 has no upper bound"):  # bounded in one disjunct only
        parse_vnnlib(HEADER + BOX.replace("(assert (<= X_1 0.25))\n", "") + "(assert (or (<= X_1 1) (<= Y_0 0)))")


def test_dimensions_against_the_network() -> None:
    prop = parse_vnnlib(HEADER + BOX + "(assert (<= Y_0 0))", "p.vnnlib")
    with pytest.raises(ShapeError, match="Y_1 is declared, but net.onnx has only 1 outputs"):
        prop.check_dimensions(2, 1, "net.onnx")
    with pytest.raises(ShapeError, match="declares 2 inputs"):
        prop.check_dimensions(3, 2, "net.onnx")


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="not found"):
        load_vnnlib(tmp_path / "none.vnnlib")
    binary = tmp_path / "b.vnnlib"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputFormatError, match="not a text file"):
        load_vnnlib(binary)
    assert binary.read_bytes() == b"\xff\xfe\x00"
