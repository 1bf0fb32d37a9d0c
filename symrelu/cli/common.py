"""Argument helpers shared by the subcommands: loading inputs, boxes, points, progress."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputFormatError
from ..exact import POLICIES, parse_box, parse_point

if TYPE_CHECKING:
    from ..network import Network


def add_network_argument(parser: argparse.ArgumentParser, what: str = "network file (.json, .npz, .onnx)") -> None:
    parser.add_argument("network", metavar="NET", help=what)
    parser.add_argument(
        "--policy",
        choices=POLICIES,
        default="exact",
        help="how floats in the file become rationals: exact binary value (default) or shortest decimal",
    )


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable JSON on stdout (rationals as strings)")


def load_network_argument(args: argparse.Namespace) -> Network:
    from ..loaders import load_network

    return load_network(args.network, policy=args.policy)


def is_problem_file(path: str) -> bool:
    """A JSON file with ``network`` and ``data`` keys is a training problem, not a network."""
    if not path.lower().endswith(".json"):
        return False
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # the network loader reports the problem with a proper message
    return isinstance(data, dict) and "network" in data and "data" in data


def box_argument(text: str) -> tuple[tuple[Fraction, Fraction], ...]:
    return parse_box(text, "--box")


def point_argument(text: str) -> tuple[Fraction, ...]:
    return parse_point(text, "--at")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be positive")
    return value


def require_suffix(path: str, suffix: str, option: str) -> Path:
    result = Path(path)
    if result.suffix.lower() != suffix:
        raise InputFormatError(f"{option} {path}: the file name must end in {suffix}")
    return result


@contextmanager
def progress_bar(description: str, unit: str = "region") -> Iterator[Callable[[int], None]]:
    """A tqdm counter on a terminal (stderr), silent otherwise; yields ``update(count_so_far)``."""
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, disable=not sys.stderr.isatty(), leave=False, file=sys.stderr)
    try:

        def update(count: int) -> None:
            bar.n = count
            bar.refresh()

        yield update
    finally:
        bar.close()
