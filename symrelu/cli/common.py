"""Argument helpers shared by the subcommands: loading inputs, boxes, points, progress."""

from __future__ import annotations

import argparse
import re
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
    from ..parallel import TaskPool

NETWORK_HELP = "network file (.json, .npz, .onnx) or a bundled example's name (see `symrelu examples`)"
PROBLEM_HELP = "training problem file (.json or .toml) or a bundled example's name (see `symrelu examples`)"


PATTERN_LEGEND = (
    "(a pattern lists each neuron's state, 1 = pre-activation above the activation's breakpoint, > 0 for ReLU: neurons of one layer together, "
    "'|' between layers, ';' between data points, '/' before the signs of the residuals of an absolute loss)"
)
"""Printed under every table of parameter-space patterns such as ``00|0;01|0``."""


FLAGS: dict[str, str] = {
    "allow_single_solver": "--allow-single-solver",
    "box": "--box",
    "checks": "--checks",
    "combination": "--combination",
    "eta": "--eta",
    "G": "--G",
    "G_squared": "--G-squared",
    "ignore_solver_versions": "--ignore-solver-versions",
    "jobs": "--jobs",
    "max_nodes": "--max-nodes",
    "max_regions": "--max-regions",
    "norm": "--norm",
    "output": "--output",
    "rlimit": "--rlimit",
    "root": "--root",
    "steps": "--steps",
    "timeout_s": "--timeout",
}
"""Library argument -> command-line flag, for messages: the library writes ``name=VALUE``."""

_ARGUMENT = re.compile(r"(?<![\w.-])(" + "|".join(sorted(map(re.escape, FLAGS), key=len, reverse=True)) + r")=(\S*)")


def cli_terms(text: str) -> str:
    """A library message in command-line terms: ``output=INDEX`` becomes ``--output INDEX``.

    A flag without a value (``allow_single_solver=True``) becomes the bare flag.

    >>> cli_terms("choose one with output=INDEX; or raise rlimit=N, or allow_single_solver=True)")
    'choose one with --output INDEX; or raise --rlimit N, or --allow-single-solver)'
    >>> cli_terms("file lipschitz-on-domain--output-variation.smt2 and xoutput=3 stay")
    'file lipschitz-on-domain--output-variation.smt2 and xoutput=3 stay'
    """

    def flag(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        core = value.rstrip(",.;:)]")
        if core == "True":
            return FLAGS[name] + value[len(core):]
        return f"{FLAGS[name]} {value}" if value else FLAGS[name]

    return _ARGUMENT.sub(flag, text)


def path_phrase(method: str) -> str:
    """What "by the polyhedral/nonlinear path" means, for the landscape header.

    >>> path_phrase("polyhedral")
    'every switch is affine in the parameters: exact linear arithmetic'
    """
    if method == "polyhedral":
        return "every switch is affine in the parameters: exact linear arithmetic"
    return "some switch is a polynomial of degree > 1 in the parameters: Z3's nonlinear real arithmetic, every region replayed exactly"


def add_policy_argument(parser: argparse.ArgumentParser) -> None:
    """``--policy``: every command that reads a file takes it."""
    parser.add_argument(
        "--policy",
        choices=POLICIES,
        default="exact",
        help="how floats in the file become rationals: 'exact' binary value (default) or shortest 'decimal'",
    )


def add_network_argument(parser: argparse.ArgumentParser, what: str = NETWORK_HELP) -> None:
    parser.add_argument("network", metavar="NET", help=what)
    add_policy_argument(parser)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable JSON on stdout (rationals as strings)")


def load_network_argument(args: argparse.Namespace) -> Network:
    from ..loaders import load_network

    return load_network(args.network, policy=args.policy)


def is_problem_file(path: str) -> bool:
    """A JSON file (or a bundled example) with ``network`` and ``data`` keys is a training problem,
    not a network; a ``.toml`` file is always a problem."""
    from ..loaders.examples import resolve_input

    resolved = resolve_input(path)
    if resolved.suffix.lower() == ".toml":
        return True
    if resolved.suffix.lower() != ".json":
        return False
    from ..loaders.json_format import parse_json_text

    try:
        data = parse_json_text(resolved.read_text(encoding="utf-8"), resolved.name, keep_float_text=False)
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
def progress_bar(description: str, unit: str = "region", enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A tqdm counter on a terminal (stderr) only, never with ``enabled=False`` (``--json``);
    yields ``update(count_so_far)``."""
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, disable=not (enabled and sys.stderr.isatty()), leave=False, file=sys.stderr)
    try:

        def update(count: int) -> None:
            bar.update(count - bar.n)  # tqdm redraws at most every mininterval

        yield update
    finally:
        bar.close()


def add_parallel_arguments(parser: argparse.ArgumentParser, jobs_help: str = "split the work over N local processes (same result; default 1)") -> None:
    """``--jobs N`` and ``--dask ADDRESS``: where the independent exact tasks of a command run."""
    parser.add_argument("--jobs", type=positive_int, default=1, metavar="N", help=jobs_help)
    parser.add_argument("--dask", metavar="ADDRESS", help="split the work over a Dask scheduler, e.g. tcp://host:8786 (same result)")


@contextmanager
def open_pool(args: argparse.Namespace) -> Iterator[TaskPool]:
    """The task pool of ``--jobs`` / ``--dask``, open for the command's stages; the Dask connection
    is closed at the end (Dask is imported only when an address is given)."""
    from ..parallel import dask_client, make_pool

    client = dask_client(args.dask) if getattr(args, "dask", None) else None
    try:
        with make_pool(args.jobs, client) as pool:
            yield pool
    finally:
        if client is not None:
            client.close()


def _probe_writable_folder(folder: Path, what: str) -> None:
    """Raise ``ArgumentTypeError`` unless a file can really be created in ``folder`` (permissions,
    read-only file systems, and root's exemptions are all covered by trying)."""
    import tempfile

    if not folder.exists():
        raise argparse.ArgumentTypeError(f"{what}: folder {folder} does not exist")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{what}: {folder} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise argparse.ArgumentTypeError(f"{what}: cannot write in {folder} ({err.strerror or err})") from None


def plot_path(text: str) -> str:
    """``--plot FILE.png``: a ``.png`` name in a folder that exists and can be written (checked before
    any work, so a long run never ends in an unwritable path)."""
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(f"{text}: the file name must end in .png")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name such as {path / 'plot.png'}")
    _probe_writable_folder(path.parent if str(path.parent) else Path("."), text)
    if path.exists() and not path.is_file():
        raise argparse.ArgumentTypeError(f"{text} exists and is not a regular file")
    return text


def output_folder(text: str) -> str:
    """``--artifacts DIR``: an existing writable folder, or a new one inside an existing writable folder;
    never an existing file."""
    path = Path(text)
    if path.exists():
        if not path.is_dir():
            raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
        _probe_writable_folder(path, text)
    else:
        _probe_writable_folder(path.parent if str(path.parent) else Path("."), text)
    return text


def add_display_arguments(parser: argparse.ArgumentParser) -> None:
    """``--exact`` and ``--width``: how long rationals are shown on the terminal (never in --json)."""
    from ..exact import DISPLAY_WIDTH

    parser.add_argument(
        "--exact", action="store_true", help="print every rational in full (default: a rounded decimal when longer than --width)"
    )
    parser.add_argument(
        "--width", type=positive_int, default=DISPLAY_WIDTH, metavar="N",
        help=f"show rationals longer than N characters as correctly rounded decimals (default {DISPLAY_WIDTH})",
    )
