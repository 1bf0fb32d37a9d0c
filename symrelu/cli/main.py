"""Entry point of the ``symrelu`` command.

Each subcommand lives in its own module of :mod:`symrelu.cli` and exposes
``register(subparsers) -> None``; the parser it adds sets ``handler`` to a
function ``(args) -> int`` returning the exit code. Errors derived from
:class:`symrelu.errors.SymreluError` become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from ..errors import SymreluError
from .common import cli_terms

log = logging.getLogger("symrelu")

COMMAND_MODULES: tuple[str, ...] = (
    "inspect_cmd",
    "regions_cmd",
    "clarke_cmd",
    "lipschitz_cmd",
    "landscape_cmd",
    "train_cmd",
    "verify_cmd",
    "proofs_cmd",
    "check_cmd",
    "bounds_cmd",
    "examples_cmd",
)
"""Subcommand modules, in the order ``symrelu --help`` lists them (missing ones are skipped)."""


class OneLineArgumentParser(argparse.ArgumentParser):
    """Usage mistakes become one line on stderr and exit code 2, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.partition(" ")[2]
        where = f"{command}: " if command else ""
        self.exit(2, f"symrelu: error: {where}{message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(
        prog="symrelu",
        description="Exact, symbolic verification of small ReLU networks.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    parser.add_argument("--version", action="version", version=f"symrelu {__version__}", help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"{__package__}.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


VALUE_OPTIONS_THAT_MAY_START_WITH_MINUS: frozenset[str] = frozenset(
    {"--box", "--at", "--init", "--init2", "--lr", "--combination", "--relu-grad-at-zero"}
)


def join_negative_values(argv: Sequence[str]) -> list[str]:
    """Let ``--box -1:1`` mean ``--box=-1:1`` (argparse would read ``-1:1`` as an option).

    >>> join_negative_values(["regions", "n.json", "--box", "-1:1,-2:0"])
    ['regions', 'n.json', '--box=-1:1,-2:0']
    """
    joined: list[str] = []
    tokens = list(argv)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in VALUE_OPTIONS_THAT_MAY_START_WITH_MINUS and index + 1 < len(tokens) and tokens[index + 1].startswith("-"):
            joined.append(f"{token}={tokens[index + 1]}")
            index += 2
            continue
        joined.append(token)
        index += 1
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    # Exact answers can have more digits than Python's int<->str guard allows (4300, a defence
    # against slow parsing of untrusted text). Every number symrelu reads has its own bound
    # (symrelu.exact.MAX_NUMBER_DIGITS), so this process may print results of any length.
    sys.set_int_max_str_digits(0)
    parser = build_parser()
    try:
        args = parser.parse_args(join_negative_values(sys.argv[1:] if argv is None else argv))
    except SystemExit as stop:  # --help, or a usage mistake already reported on one line
        return stop.code if isinstance(stop.code, int) else 2
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="symrelu: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args))
    except SymreluError as err:
        print(f"symrelu: error: {cli_terms(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symrelu: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
