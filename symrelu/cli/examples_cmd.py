"""``symrelu examples``: the bundled networks and training problems, usable by name from any folder."""

from __future__ import annotations

import argparse

from ..errors import SymreluError
from .common import add_json_flag, is_problem_file
from .output import emit_json, emit_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "examples",
        help="list the bundled example networks and training problems",
        description="List the bundled examples. Every command accepts an example's name where it takes a file, "
        "from any folder (a file of that name in the current folder wins), e.g. `symrelu verify paper_instance` "
        "or `symrelu regions fc1 --box -1:1,-1:1`.",
    )
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def describe(name: str) -> dict[str, object]:
    """Kind, shape and file of one bundled example."""
    from ..loaders import load_network
    from ..loaders.examples import example_path
    from ..params.problem import load_problem

    path = example_path(name)
    if is_problem_file(str(path)):
        problem = load_problem(path)
        widths = problem.network.widths
        return {"name": name, "kind": "problem", "file": path.name, "widths": list(widths),
                "parameters": list(problem.parameter_names), "data_points": len(problem.data)}
    net = load_network(path)
    kind = "network" if not net.parameters else "network with parameters"
    return {"name": name, "kind": kind, "file": path.name, "widths": list(net.widths),
            "parameters": [p.name for p in net.parameters], "data_points": None}


def _described(name: str) -> dict[str, object]:
    from ..loaders.examples import example_path

    try:
        return describe(name)
    except SymreluError as err:  # a bundled file this version cannot read yet: say so, list the rest
        return {"name": name, "kind": "unreadable", "file": example_path(name).name, "widths": [], "parameters": [],
                "data_points": None, "reason": str(err)}


def run(args: argparse.Namespace) -> int:
    from ..loaders.examples import list_examples

    entries = [_described(name) for name in list_examples()]
    if args.json:
        emit_json({"examples": entries})
        return 0
    width = max(len(str(e["name"])) for e in entries)
    lines = ["bundled examples (use the name in place of a file, from any folder):"]
    for e in entries:
        shape = " -> ".join(str(w) for w in e["widths"])  # type: ignore[attr-defined]
        if e["kind"] == "problem":
            what = f"training problem, net {shape}, parameters {', '.join(e['parameters'])}"  # type: ignore[arg-type]
        elif e["kind"] == "unreadable":
            what = f"cannot be read by this version: {str(e['reason']).split(': ', 1)[-1][:70]}"
        else:
            what = f"network {shape}"
        lines.append(f"  {str(e['name']):<{width}}  {what}  ({e['file']})")
    emit_text("\n".join(lines))
    return 0
