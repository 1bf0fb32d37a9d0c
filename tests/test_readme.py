"""The README's examples are real: every ``$ symrelu ...`` block is re-run from a folder outside
the repository (as a user would, naming bundled examples) and its shown output compared line by
line (up to a ``...`` line), and the Python snippet runs as printed."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from shared_runs import PROOFS_CHECK_GROUP, outside_env, symrelu_in_checkout

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCES = re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.S)


def shell_examples() -> list[tuple[str, list[str]]]:
    """(command, documented output lines) for every ``$ symrelu`` line of the README."""
    examples = []
    for block in FENCES:
        lines = block.rstrip("\n").split("\n")
        starts = [i for i, line in enumerate(lines) if line.startswith("$ symrelu ")]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            examples.append((lines[start][2:], lines[start + 1 : end]))
    return examples


EXAMPLES = shell_examples()


def test_the_readme_has_examples_for_every_command() -> None:
    commands = {command.split()[1] for command, _ in EXAMPLES}
    assert {"inspect", "regions", "clarke", "lipschitz", "landscape", "train", "verify", "examples"} <= commands


def test_the_main_setup_command_installs_what_the_main_job_needs() -> None:
    setup = next(line for block in FENCES for line in block.splitlines() if "symrelu verify" in line and "pip install" in line)
    extras = set(re.search(r"\.\[([a-z0-9,]+)\]", setup).group(1).split(","))  # type: ignore[union-attr]
    assert {"onnx", "cvc5", "plot"} <= extras
    name = setup.rsplit(" ", 1)[-1]
    done = subprocess.run([sys.executable, "-m", "symrelu", "examples", "--json"], capture_output=True, text=True, env=outside_env(), cwd="/")
    assert name in {e["name"] for e in __import__("json").loads(done.stdout)["examples"]}


REPOSITORY_COMMANDS = frozenset({"proofs"})
"""Commands about the checkout itself (``proofs`` rebuilds and checks ``proofs/``): run in it."""


TIMING = re.compile(r"\b\d+(\.\d+)?s\b")


def untimed(line: str) -> str:
    """``line`` with timings such as ``0.31s`` replaced, and, in a table row or rule, the column
    padding collapsed: a timing of ``12.49s`` widens its column, and so every row's padding."""
    line = TIMING.sub("<t>", line)
    if "|" in line or "-+-" in line:
        line = re.sub(r"-{2,}", "-", re.sub(r" {2,}", " ", line))
    return line


def matches(actual: list[str], expected: list[str]) -> bool:
    """Line-by-line equality, where an expected line ``...`` skips any number of actual lines
    and timings such as ``0.31s`` are not compared (nor the table padding they change).

    >>> matches(["a  | 12.49s", "--+-------"], ["a | 1.4s", "--+-----"])
    True
    >>> matches(["a  | PROVED"], ["a | UNKNOWN"])
    False
    """
    actual = [untimed(line) for line in actual]
    expected = [untimed(line) for line in expected]
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(actual[i:], expected[1:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(actual[1:], expected[1:])


def _example_params() -> list[object]:
    """The examples, ``symrelu proofs check`` in the group of test_proofs' CI gate, which shares its run."""
    return [pytest.param(c, e, id=c, marks=[pytest.mark.xdist_group(PROOFS_CHECK_GROUP)] if c == "symrelu proofs check" else [])
            for c, e in EXAMPLES]


@pytest.mark.parametrize("command,expected", _example_params())
def test_shell_example_output_is_what_the_readme_shows(command: str, expected: list[str], tmp_path: Path) -> None:
    argv = shlex.split(command)[1:]
    assert not any(a.startswith("symrelu/") for a in argv), "README commands name bundled examples, not repository paths"
    cwd = ROOT if argv[0] in REPOSITORY_COMMANDS else tmp_path
    if cwd == ROOT:
        done = symrelu_in_checkout(*argv)
    else:
        done = subprocess.run(
            [sys.executable, "-m", "symrelu", *argv], cwd=cwd, capture_output=True, text=True, timeout=300, env=outside_env()
        )
    assert done.returncode in (0, 1), done.stderr
    for picture in (a for a in argv if a.endswith(".png")):
        assert (cwd / picture).read_bytes()[:4] == b"\x89PNG"
    actual = done.stdout.rstrip("\n").split("\n")
    assert matches(actual, expected), "\n".join(actual)


def test_the_matcher_itself() -> None:
    assert matches(["a", "b", "c"], ["a", "...", "c"])
    assert matches(["a", "b", "c"], ["a", "..."])
    assert not matches(["a", "b", "c"], ["a", "c"])
    assert not matches(["a", "x"], ["a", "...", "c"])
    assert matches(["t | 0.94s |"], ["t | 0.07s |"])


def test_python_snippet_runs_and_prints_what_its_comment_says() -> None:
    snippet = next(block for block in FENCES if block.startswith("import symrelu"))
    done = subprocess.run([sys.executable, "-c", snippet], cwd="/", capture_output=True, text=True, timeout=300, env=outside_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "18 4"
