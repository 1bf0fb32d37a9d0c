"""``symrelu check NET PROP.vnnlib``: sat (exact witness), unsat (certified) or unknown.

Exit code 0 for sat or unsat, 1 for unknown, 2 for bad input.
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path
from typing import Any

from ..errors import InputFormatError
from .common import (
    add_display_arguments,
    add_json_flag,
    add_network_argument,
    cli_terms,
    load_network_argument,
    progress_bar,
)
from .output import Display, emit_json, emit_text

MAX_JOBS = 1024


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="decide a VNN-LIB property exactly (sat with a replayed witness, or unsat)",
        description="Decide whether some input of the property's box reaches its unsafe output set. "
        "sat: an exact rational counterexample, replayed; unsat: every closed box certified exactly.",
    )
    add_network_argument(parser, "network file (.onnx, .nnet, .json, .npz)")
    parser.add_argument("property", metavar="PROP.vnnlib", help="VNN-LIB 1.0 property (the unsafe set)")
    parser.add_argument("--timeout", type=_seconds, default=None, help="seconds before answering unknown (safety net)")
    parser.add_argument("--jobs", type=_jobs, default=1, help="local worker processes (default 1)")
    parser.add_argument("--dask", metavar="ADDR", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--counterexample", metavar="FILE", help="write the witness in the VNN-COMP format when sat")
    add_display_arguments(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 0 < value <= 10**7:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds up to 10^7")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 1 and {MAX_JOBS}")
    return value


def _writable(path: str, inputs: tuple[str, ...] = ()) -> Path:
    """The witness path, refused when it cannot be written or is one of the ``inputs`` (never overwritten)."""
    target = Path(path)
    if target.is_dir() or not target.parent.is_dir():
        raise InputFormatError(f"--counterexample {path}: cannot write there (no such folder, or it is a folder)")
    for name in inputs:
        source = Path(name)
        same = target.resolve() == source.resolve()
        if not same and target.exists() and source.exists():
            same = os.path.samefile(target, source)
        if same:
            raise InputFormatError(f"--counterexample {path}: is the input file {name}; give another path")
    return target


def run(args: argparse.Namespace) -> int:
    from ..check import check_property, load_vnnlib, result_json, witness_text
    from ..parallel import dask_client

    witness_path = _writable(args.counterexample, (args.network, args.property)) if args.counterexample else None
    net = load_network_argument(args)
    prop = load_vnnlib(args.property)
    client = dask_client(args.dask) if args.dask else None
    try:
        if args.json:
            result = check_property(net, prop, timeout=args.timeout, jobs=args.jobs, client=client)
        else:
            with progress_bar("check", unit="box") as update:
                result = check_property(net, prop, timeout=args.timeout, jobs=args.jobs, client=client, progress=update)
    finally:
        if client is not None:
            client.close()
    if witness_path is not None and result.result == "sat":
        try:
            witness_path.write_text(witness_text(result), encoding="utf-8")
        except OSError as err:
            raise InputFormatError(f"--counterexample {args.counterexample}: cannot write ({err.strerror})") from None
    if args.json:
        emit_json(result_json(result))
    else:
        emit_text(_report(result, net.source, prop.source, Display.from_args(args)))
    return 1 if result.result == "unknown" else 0


def _report(result: Any, net: str, prop: str, shown: Display) -> str:
    stats = result.stats
    lines = [f"{result.result}: {net} against {prop}"]
    if result.result == "sat":
        lines.append("counterexample (exact; replayed through the exact network, every constraint re-checked):")
        lines += [f"  X_{i} = {shown.rational(v)}" for i, v in enumerate(result.inputs)]
        lines += [f"  Y_{j} = {shown.rational(v)}" for j, v in enumerate(result.outputs)]
    elif result.result == "unsat":
        lines.append(f"no input reaches the unsafe set: {stats.get('certificates', 0)} box certificates and "
                     f"{stats.get('z3_boxes', 0)} Z3 boxes, all checked exactly")
    else:
        lines.append(f"reason: {cli_terms(result.reason)}")
    lines.append(f"searched {stats.get('nodes', 0)} boxes ({stats.get('pool', 'serial')})")
    note = shown.note()
    return "\n".join(lines + ([note] if note else []))
