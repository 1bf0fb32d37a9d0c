"""The README's examples are real: every ``$ symrelu ...`` block is re-run and its shown output
compared line by line (up to a ``...`` line), and the Python snippet runs as printed."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert {"inspect", "regions", "clarke", "lipschitz", "landscape", "train", "verify"} <= commands


TIMING = re.compile(r"\b\d+(\.\d+)?s\b")


def matches(actual: list[str], expected: list[str]) -> bool:
    """Line-by-line equality, where an expected line ``...`` skips any number of actual lines
    and timings such as ``0.31s`` are not compared."""
    actual = [TIMING.sub("<t>", line) for line in actual]
    expected = [TIMING.sub("<t>", line) for line in expected]
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(actual[i:], expected[1:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(actual[1:], expected[1:])


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_shell_example_output_is_what_the_readme_shows(command: str, expected: list[str], tmp_path: Path) -> None:
    argv = shlex.split(command)[1:]
    argv = [str(tmp_path / a) if a.endswith(".png") else a for a in argv]  # pictures go to a temporary folder
    done = subprocess.run([sys.executable, "-m", "symrelu", *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
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
    done = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "18 4"
