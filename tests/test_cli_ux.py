"""symrelu as a user meets it (issue 12): one test per item, from a folder outside the repository
where it matters."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from fractions import Fraction
from pathlib import Path

import pytest

import symrelu
from symrelu.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
FILE_COMMANDS = ("inspect", "regions", "clarke", "lipschitz", "landscape", "train", "verify")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def symrelu_cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "symrelu", *argv], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def test_version_flag_and_attribute(capsys) -> None:
    assert isinstance(symrelu.__version__, str) and symrelu.__version__
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"symrelu {symrelu.__version__}"


def test_every_command_has_a_description_and_file_commands_take_policy() -> None:
    commands = subcommands()
    assert set(FILE_COMMANDS) | {"examples"} <= set(commands)
    for name, parser in commands.items():
        assert parser.description, f"{name} has no description"
        options = {o for a in parser._actions for o in a.option_strings}
        if name in FILE_COMMANDS:
            assert "--policy" in options, f"{name} lacks --policy"


def test_every_default_is_stated_in_its_help() -> None:
    for name, parser in subcommands().items():
        for action in parser._actions:
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS) and action.help:
                assert "default" in action.help, f"{name} {action.option_strings[0]}: default {action.default!r} not stated"


def test_bundled_examples_by_name_from_another_folder(tmp_path: Path) -> None:
    done = symrelu_cli("examples", "--json", cwd=tmp_path)
    names = {e["name"]: e for e in json.loads(done.stdout)["examples"]}
    assert {"paper_instance", "two_inputs", "fc1"} <= set(names) and names["paper_instance"]["kind"] == "problem"
    regions = symrelu_cli("regions", "two_inputs", "--box", "-1:1,-1:1", "--json", cwd=tmp_path)
    assert regions.returncode == 0 and json.loads(regions.stdout)["count"] == 18
    fc1 = symrelu_cli("regions", "fc1", "--box", "-1:1,-1:1", "--json", cwd=tmp_path)
    assert json.loads(fc1.stdout)["count"] == 71
    by_path = symrelu_cli("landscape", str(ROOT / "symrelu" / "examples" / "paper_instance.json"), "--json", cwd=tmp_path)
    by_name = symrelu_cli("landscape", "paper_instance", "--json", cwd=tmp_path)
    assert by_path.returncode == 0 and json.loads(by_path.stdout) == json.loads(by_name.stdout)
    missing = symrelu_cli("regions", "no_such_example", "--box", "-1:1", cwd=tmp_path)
    assert missing.returncode == 2 and "symrelu examples" in missing.stderr and missing.stderr.count("\n") == 1


def test_a_local_file_wins_over_a_bundled_name(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "two_inputs.json").write_text('{"layers": [{"weight": [["2"]], "bias": ["0"]}]}')
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "two_inputs.json", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["widths"] == [1, 1]


def test_a_problems_network_path_is_relative_to_the_problem_file(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "problems"
    (folder / "nets").mkdir(parents=True)
    (folder / "nets" / "w.json").write_text('{"layers": [{"weight": [["w1"], ["w2"]], "bias": ["0", "0"]}, {"weight": [["1", "1"]], "bias": ["0"]}]}')
    problem = json.loads((ROOT / "symrelu" / "examples" / "paper_instance.json").read_text())
    problem["network"] = "nets/w.json"
    (folder / "p.json").write_text(json.dumps(problem))
    assert main(["landscape", str(folder / "p.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 4  # the paper instance's four regions
    problem["network"] = "nets/missing.json"
    (folder / "q.json").write_text(json.dumps(problem))
    assert main(["landscape", str(folder / "q.json")]) == 2
    assert "next to the problem file" in capsys.readouterr().err


def test_policy_reaches_problem_floats(tmp_path: Path, capsys) -> None:
    problem = json.loads((ROOT / "symrelu" / "examples" / "paper_instance.json").read_text())
    problem["data"] = [{"x": [1], "y": [0.1]}]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem))
    losses = {}
    for policy in ("exact", "decimal"):
        assert main(["train", str(path), "--init", "w1=0,w2=0", "--lr", "1/10", "--steps", "0", "--policy", policy, "--json"]) == 0
        losses[policy] = Fraction(json.loads(capsys.readouterr().out)["runs"][0]["steps"][0]["loss"])
    assert losses["decimal"] == Fraction(1, 200) and losses["exact"] == Fraction(0.1) ** 2 / 2


def test_train_reports_no_crossing_for_a_step_that_does_not_move(capsys) -> None:
    assert main(["train", "paper_instance", "--init", "w1=0,w2=0", "--lr", "1/10", "--steps", "3", "--json"]) == 0
    steps = json.loads(capsys.readouterr().out)["runs"][0]["steps"]
    assert all(s["theta"] == {"w1": "0", "w2": "0"} and s["on_kink"] for s in steps)  # backprop:0 gives 0 here
    assert not any(s["crossed"] for s in steps)
    # a step that does move across the kink w1 = 0 is still reported
    assert main(["train", "paper_instance", "--init", "w1=1/20,w2=1/2", "--lr", "1", "--steps", "1", "--json"]) == 0
    moved = json.loads(capsys.readouterr().out)["runs"][0]["steps"]
    assert moved[1]["theta"] != moved[0]["theta"] and moved[1]["crossed"] == (moved[1]["pattern"] != moved[0]["pattern"] or moved[1]["on_kink"])


def test_train_float_prints_the_same_table(capsys) -> None:
    argv = ["train", "paper_instance", "--init", "w1=1/2,w2=1/4", "--lr", "1/8", "--steps", "4"]
    assert main(argv) == 0
    exact = capsys.readouterr().out.splitlines()
    assert main([*argv, "--float"]) == 0
    floats = capsys.readouterr().out.splitlines()
    header = next(line for line in exact if "pattern" in line)
    assert header in floats  # same columns
    rows = [line for line in floats if line.strip()[:1].isdigit()]
    assert len(rows) == 5  # t = 0..4
    # dyadic iterates are exact in float64, so the two tables agree on every pattern and loss
    exact_rows = [line.split()[:4] for line in exact if line.strip()[:1].isdigit()]
    assert [r.split()[:4] for r in rows] == exact_rows


def test_train_help_explains_the_columns(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--help"])
    text = capsys.readouterr().out
    for word in ("dist²", "cross", "kink?", "pattern"):
        assert word in text


def test_landscape_explains_patterns_and_the_path(capsys) -> None:
    assert main(["landscape", "problem_two_layer"]) == 0
    out = capsys.readouterr().out
    assert "by the nonlinear path (some switch is a polynomial" in out
    assert "'|' between layers, ';' between data points" in out


def test_plot_written_line_for_every_plot(tmp_path: Path, capsys) -> None:
    runs = {
        "regions": ["regions", "two_inputs", "--box", "-1:1,-1:1", "--output", "0", "--labels"],
        "landscape": ["landscape", "paper_instance"],
        "train": ["train", "paper_instance", "--init", "w1=1/100,w2=1/100", "--init2", "w1=-1/100,w2=-1/100", "--lr", "1/10", "--steps", "3"],
    }
    for name, argv in runs.items():
        target = tmp_path / f"{name}.png"
        assert main([*argv, "--plot", str(target)]) == 0
        assert f"plot written to {target}" in capsys.readouterr().out
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_regions_output_must_exist(capsys, tmp_path: Path) -> None:
    assert main(["regions", "fc1", "--box", "-1:1,-1:1", "--plot", str(tmp_path / "p.png"), "--output", "2"]) == 2
    assert "outputs 0..1" in capsys.readouterr().err


def _stderr_on_a_terminal(argv: list[str], cwd: Path) -> str:
    """Run the command with stderr on a pseudo-terminal (stdout captured), return what stderr showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal has a width
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "symrelu", *argv], cwd=cwd, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=600)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_but_never_with_json(tmp_path: Path) -> None:
    argv = ["regions", "fc1", "--box", "-1:1,-1:1"]
    assert "regions:" in _stderr_on_a_terminal(argv, tmp_path)
    assert _stderr_on_a_terminal([*argv, "--json"], tmp_path) == ""
    train = ["train", "paper_instance", "--init", "w1=1/100,w2=1/100", "--lr", "1/10", "--steps", "5"]
    assert "train:" in _stderr_on_a_terminal(train, tmp_path)
    assert _stderr_on_a_terminal([*train, "--json"], tmp_path) == ""
    landscape = ["landscape", "problem_two_layer"]
    assert "regions:" in _stderr_on_a_terminal(landscape, tmp_path)
    assert _stderr_on_a_terminal([*landscape, "--json"], tmp_path) == ""
