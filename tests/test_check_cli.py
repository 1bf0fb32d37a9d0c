"""The check and bounds commands: exit codes, JSON, the witness file, one-line errors with untouched inputs."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from symrelu.check.vnnlib import parse_vnnlib
from symrelu.cli.main import main

FRAGILE = Path(__file__).parent.parent / "symrelu" / "examples" / "nets"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sat_json_and_witness_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    witness = tmp_path / "cex.txt"
    code, out, _ = run(capsys, "check", str(FRAGILE / "peak_equal_sat.onnx"), str(FRAGILE / "peak_equal_sat.vnnlib"),
                       "--json", "--counterexample", str(witness))
    data = json.loads(out)
    assert code == 0 and data["result"] == "sat" and list(data) == sorted(data)
    assert data["counterexample"] == {"X_0": "1/2", "Y_0": "8388608"}  # hand algebra: the peak
    assert witness.read_text() == "((X_0 0.5)\n (Y_0 8388608))\n"
    # the witness file is SMT-LIB: Z3 reads it back as the same values
    back = parse_vnnlib("(declare-const X_0 Real)(declare-const Y_0 Real)(assert (= X_0 0.5))(assert (>= X_0 0.5))")
    assert back.disjuncts[0].box == ((Fraction(1, 2), Fraction(1, 2)),)


def test_unsat_text_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(FRAGILE / "peak_strict_unsat.onnx"), str(FRAGILE / "peak_strict_unsat.vnnlib"))
    assert code == 0 and out.startswith("unsat: peak_strict_unsat.onnx")


def test_unknown_exits_1(capsys: pytest.CaptureFixture[str], shared_nets: Path) -> None:
    code, out, _ = run(capsys, "check", str(shared_nets / "test_unsat.onnx"), str(shared_nets / "test_prop.vnnlib"),
                       "--timeout", "0.001", "--json")
    assert code == 1 and json.loads(out)["result"] == "unknown" and "timeout" in json.loads(out)["reason"]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [(["--timeout", "-1"], "--timeout"), (["--timeout", "nan"], "--timeout"), (["--jobs", "0"], "--jobs"),
     (["--jobs", "100000"], "--jobs"), (["--counterexample", "/nonexistent/dir/w.txt"], "cannot write")],
)
def test_absurd_options_are_one_line(capsys: pytest.CaptureFixture[str], extra: list[str], fragment: str) -> None:
    code, out, err = run(capsys, "check", str(FRAGILE / "peak_equal_sat.onnx"), str(FRAGILE / "peak_equal_sat.vnnlib"), *extra)
    assert code == 2 and fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_property_file_is_one_line_and_unchanged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.vnnlib"
    bad.write_text("(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (<= (* Y_0 X_0) 1))\n")
    before = bad.read_bytes()
    code, _, err = run(capsys, "check", str(FRAGILE / "peak_equal_sat.onnx"), str(bad))
    assert code == 2 and "bad.vnnlib line 5" in err and err.count("\n") == 1
    assert bad.read_bytes() == before


def test_dimension_mismatch(capsys: pytest.CaptureFixture[str], shared_nets: Path) -> None:
    code, _, err = run(capsys, "check", str(FRAGILE / "peak_equal_sat.onnx"), str(shared_nets / "test_prop.vnnlib"))
    assert code == 2 and "X_1 is declared" in err


def test_bounds_match_the_region_enumeration(capsys: pytest.CaptureFixture[str], shared_nets: Path) -> None:
    from symrelu.loaders import load_network
    from symrelu.regions import enumerate_regions

    code, out, _ = run(capsys, "bounds", str(shared_nets / "test_small.onnx"), "--box=-3:1", "--json")
    data = json.loads(out)["outputs"][0]
    net = load_network(shared_nets / "test_small.onnx")
    values = [net.evaluate(v)[0] for r in enumerate_regions(net, ((Fraction(-3), Fraction(1)),)) for v in r.vertices]
    assert code == 0 and Fraction(data["max"]) == max(values) and Fraction(data["min"]) == min(values)
    assert net.evaluate([Fraction(data["argmax"][0])])[0] == Fraction(data["max"])


def test_bounds_on_two_inputs_match_regions(capsys: pytest.CaptureFixture[str]) -> None:
    from symrelu.loaders import example_path, load_network
    from symrelu.regions import enumerate_regions

    path = example_path("two_inputs")
    net = load_network(path)
    box = ((Fraction(-1), Fraction(1)), (Fraction(-1), Fraction(1)))
    code, out, _ = run(capsys, "bounds", str(path), "--box=-1:1,-1:1", "--json")
    for j, entry in enumerate(json.loads(out)["outputs"]):
        values = [net.evaluate(v)[j] for r in enumerate_regions(net, box) for v in r.vertices]
        assert Fraction(entry["max"]) == max(values) and Fraction(entry["min"]) == min(values)


def test_bundled_property_by_name_from_another_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`symrelu check test_nano test_nano`: the network and the property of that name, read from any folder."""
    from symrelu.check import load_vnnlib

    nets = Path(__file__).parent.parent / "symrelu" / "examples" / "nets"
    monkeypatch.chdir(tmp_path)
    assert load_vnnlib("test_prop") == load_vnnlib(nets / "test_prop.vnnlib")  # same content as the file itself
    code, out, _ = run(capsys, "check", "test_nano", "test_nano", "--json")
    by_path = main(["check", str(nets / "test_nano.onnx"), str(nets / "test_nano.vnnlib"), "--json"])
    assert code == by_path == 0 and json.loads(out) == json.loads(capsys.readouterr().out)
    (tmp_path / "test_nano.vnnlib").write_text("(declare-const X_0 Real)", encoding="utf-8")  # a real file wins
    code, _, err = run(capsys, "check", "test_nano", "test_nano.vnnlib")
    assert code == 2 and "test_nano.vnnlib" in err
    code, _, err = run(capsys, "check", "test_nano", "no_such_property")
    assert code == 2 and "property file not found" in err and "test_prop" in err


def test_terminal_shows_long_outputs_as_rounded_decimals(capsys: pytest.CaptureFixture[str]) -> None:
    """Y values of test_sat have ~80 digits: a correctly rounded decimal on the terminal, every digit with --exact or --json."""
    code, out, _ = run(capsys, "check", "test_sat", "test_prop", "--json")
    exact = Fraction(json.loads(out)["counterexample"]["Y_0"])
    code_short, short, _ = run(capsys, "check", "test_sat", "test_prop")
    line = next(text for text in short.splitlines() if text.startswith("  Y_0 = "))
    decimal = line.split("= ")[1].split("…")[0]
    assert code == code_short == 0 and "[exact:" in line and "--exact prints every digit" in short
    assert abs(Fraction(decimal) - exact) < Fraction(1, 10**12)  # rounded from the exact value
    _, full, _ = run(capsys, "check", "test_sat", "test_prop", "--exact")
    assert f"  Y_0 = {exact.numerator}/{exact.denominator}" in full.splitlines()
