"""``symrelu inspect NET``: layers, shapes, parameter count, closed form."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..network import Network
from .common import add_display_arguments, add_json_flag, add_network_argument, load_network_argument
from .output import Display, emit_json, emit_text

CLOSED_FORM_LEAF_LIMIT = 4000
"""Closed forms with more leaves than this are summarised unless ``--full`` is given."""


def closed_form_leaves(net: Network) -> int:
    """Leaves of the expression tree (without common subexpressions): predicts print size."""
    leaves = 1
    for layer in net.layers:
        leaves = layer.in_dim * (leaves + 1) + 1
    return leaves


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "inspect", help="layers, shapes, parameter count and closed form of a network",
        description="Show a network's layers and widths, its parameter count (and trainable parameters), the float "
        "policy used to read it, and the exact closed form of each output in Max form (or LaTeX, or 2-D).",
    )
    add_network_argument(parser)
    add_json_flag(parser)
    parser.add_argument("--full", action="store_true", help="print the closed form even when it is very large")
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--latex", action="store_true", help="print the closed form as LaTeX")
    style.add_argument("--pretty", action="store_true", help="print the closed form in 2-D pretty form")
    add_display_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import sympy

    from ..closed_form import closed_form

    net = load_network_argument(args)
    layers: list[dict[str, object]] = [
        {"index": i, "in": layer.in_dim, "out": layer.out_dim, "relu": i < net.relu_layer_count}
        for i, layer in enumerate(net.layers)
    ]
    if not net.is_relu:  # ReLU networks keep their output unchanged
        for entry, acts in zip(layers, net.activations):
            entry["activation"] = ", ".join(dict.fromkeys(str(act) for act in acts))
    leaves = closed_form_leaves(net)
    show = args.full or leaves <= CLOSED_FORM_LEAF_LIMIT
    forms = closed_form(net) if show else None
    if args.json:
        emit_json(
            {
                "source": net.source,
                "policy": net.policy,
                "widths": list(net.widths),
                "layers": layers,
                "output_relu": net.output_relu,
                "parameter_count": net.parameter_count,
                "parameters": [p.name for p in net.parameters],
                "closed_form": [str(f) for f in forms] if forms is not None else None,
                "closed_form_latex": [sympy.latex(f) for f in forms] if forms is not None else None,
            }
        )
        return 0
    lines = [
        f"network    {net.source}",
        f"widths     {' -> '.join(str(w) for w in net.widths)}",
        f"parameters {net.parameter_count}" + (f" (symbolic: {', '.join(p.name for p in net.parameters)})" if net.parameters else ""),
        f"floats     converted with policy '{net.policy}'",
        "layers",
    ]
    for entry in layers:
        lines.append(f"  {entry['index']}: affine {entry['in']} -> {entry['out']}" + (f" then {entry.get('activation', 'ReLU')}" if entry["relu"] else ""))
    shown = Display.from_args(args)
    if forms is None:
        lines.append(f"closed form: about {leaves} leaves per output; pass --full to print it")
    else:
        for k, form in enumerate(forms):
            text = sympy.latex(form) if args.latex else (sympy.pretty(form, use_unicode=True) if args.pretty else shown.expression(form))
            lines.append(f"output {k} =")
            lines.extend("  " + line for line in text.splitlines())
    note = shown.note()
    emit_text("\n".join(lines + ([note] if note else [])))
    return 0
