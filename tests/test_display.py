"""Readable rationals on the terminal, exact ones in JSON (issue 12).

The rounding is compared with the standard library's ``decimal`` module at a precision far
beyond the digits shown (an independent implementation of correct rounding)."""

from __future__ import annotations

import decimal
import json
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.cli.main import main
from symrelu.exact import (
    decimal_digits,
    decimal_text,
    display_rational,
    format_rational,
    parse_rational,
    rational_sqrt_text,
)

FC1 = Path(__file__).resolve().parent.parent / "symrelu" / "examples" / "nets" / "fc1.onnx"


def reference(value: Fraction, significant: int) -> decimal.Decimal:
    context = decimal.Context(prec=400, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    exact = context.divide(decimal.Decimal(value.numerator), decimal.Decimal(value.denominator))
    return decimal.Context(prec=significant, rounding=decimal.ROUND_HALF_EVEN, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN).plus(exact)


rationals = st.builds(
    Fraction,
    st.integers(min_value=-(10**120), max_value=10**120).filter(bool),
    st.integers(min_value=1, max_value=10**120),
)


@settings(max_examples=300, deadline=None)
@given(rationals, st.integers(min_value=1, max_value=20))
def test_decimal_text_is_correctly_rounded(value: Fraction, significant: int) -> None:
    shown = decimal_text(value, significant)
    assert decimal.Decimal(shown.replace("…", "")) == reference(value, significant)
    assert shown.endswith("…") == (Fraction(decimal.Decimal(shown.replace("…", ""))) != value) or "e" in shown


@settings(max_examples=200, deadline=None)
@given(rationals.map(abs).filter(bool), st.integers(min_value=1, max_value=20))
def test_sqrt_text_is_correctly_rounded(square: Fraction, significant: int) -> None:
    context = decimal.Context(prec=400, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    root = context.sqrt(context.divide(decimal.Decimal(square.numerator), decimal.Decimal(square.denominator)))
    want = decimal.Context(prec=significant, rounding=decimal.ROUND_HALF_EVEN).plus(root)
    assert decimal.Decimal(rational_sqrt_text(square, significant)) == want


def test_sizes_and_huge_numbers_need_no_float_and_no_int_string_limit() -> None:
    huge = Fraction(7**9000, 3)
    assert decimal_digits(huge.numerator) == len(format_rational(huge).split("/")[0])  # 7606 digits: past str()'s limit
    assert display_rational(huge).endswith("[exact: 7606/1 digits]")
    assert rational_sqrt_text(Fraction(10**700)) == "1e+350"  # float() would overflow
    assert parse_rational("9" * 5000) == 10**5000 - 1


def test_fc1_regions_table_is_readable_and_json_stays_exact(capsys) -> None:
    assert main(["regions", str(FC1), "--box", "-1:1,-1:1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 2 + 71 + 1 and "--exact prints every digit" in table[-1]
    assert max(len(line) for line in table) < 260
    assert "[exact: 80/83 digits]" in table[2]
    assert main(["regions", str(FC1), "--box", "-1:1,-1:1", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    measures = [Fraction(r["measure"]) for r in payload["regions"]]
    assert sum(measures) == 4 and len(payload["regions"][0]["measure"]) > 150  # exact strings, summing to the box
    assert main(["regions", str(FC1), "--box", "-1:1,-1:1", "--exact"]) == 0
    whole = capsys.readouterr().out
    assert payload["regions"][0]["measure"] in whole and "…" not in whole
