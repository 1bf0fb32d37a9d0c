"""The ``.nnet`` text format of ACAS Xu / Reluplex as an exact network.

Layout: ``//`` comment lines, then ``layers, inputs, outputs, max width``; the layer
sizes (input first); a legacy "symmetric" flag; the input minima, maxima, means
(one per input and one for the outputs) and ranges; then every layer's weight rows
followed by its biases. Hidden layers have a ReLU, the output layer does not.

The network is the file's **own** network on its own inputs, as Marabou reads it
(``Marabou.read_nnet(..., normalize=False)``): the header's normalisation constants
are recorded in :class:`NnetHeader` and **not applied**, so a property must state its
input box in the network's (normalised) coordinates, as the VNN-COMP ACAS Xu
properties do.

Numbers are decimal text. Policy ``"decimal"`` takes each exactly as written;
``"exact"`` (the default, like every loader) takes the float64 the text denotes,
which is the value float tools such as Marabou compute with.

>>> text = "// tiny\\n2,1,1,2,\\n1,2,1,\\n0,\\n-1,\\n1,\\n0,0,\\n1,1,\\n1,\\n-1,\\n0.5,\\n0,\\n1,1,\\n0,\\n"
>>> net, header = network_from_nnet_text(text, "tiny.nnet", "decimal")
>>> net.widths, net.evaluate([2]), header.input_minimums
((1, 2, 1), (Fraction(5, 2),), (Fraction(-1, 1),))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..errors import InputFormatError, NonFiniteError, ShapeError
from ..exact import check_policy, parse_rational
from ..network import Layer, Network
from ._files import read_bytes


@dataclass(frozen=True)
class NnetHeader:
    """The normalisation constants of a ``.nnet`` file, as recorded (never applied)."""

    input_minimums: tuple[Fraction, ...]
    input_maximums: tuple[Fraction, ...]
    means: tuple[Fraction, ...]
    ranges: tuple[Fraction, ...]


def _number(text: str, policy: str, where: str) -> Fraction:
    exponent = text.strip().lower().partition("e")[2]
    if exponent.lstrip("+-").isdigit() and abs(int(exponent)) > 400:
        raise NonFiniteError(f"{where}: {text.strip()!r} is far outside the float64 range; weights must be finite numbers")
    value = parse_rational(text, where)
    if policy == "exact" and "/" not in text:
        as_float = float(text.strip())
        if not math.isfinite(as_float):
            raise NonFiniteError(f"{where}: {text.strip()!r} overflows a float64; weights must be finite numbers")
        return Fraction(as_float)
    return value


class _Lines:
    """The data lines of the file (comments dropped), each split on commas, with line numbers."""

    def __init__(self, text: str, source: str, policy: str) -> None:
        self.source = source
        self.policy = policy
        self.rows: list[tuple[int, list[str]]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("//"):
                continue
            self.rows.append((number, [p for p in (part.strip() for part in stripped.split(",")) if p]))
        self.position = 0

    def next_numbers(self, count: int | None, what: str) -> list[Fraction]:
        if self.position >= len(self.rows):
            raise InputFormatError(f"{self.source}: the file ends before {what}")
        number, parts = self.rows[self.position]
        self.position += 1
        if count is not None and len(parts) != count:
            raise ShapeError(f"{self.source} line {number}: {what} needs {count} numbers, found {len(parts)}")
        return [_number(p, self.policy, f"{self.source} line {number}") for p in parts]

    def next_ints(self, count: int | None, what: str) -> list[int]:
        values = self.next_numbers(count, what)
        number = self.rows[self.position - 1][0]
        if any(v.denominator != 1 or v < 0 for v in values):
            raise InputFormatError(f"{self.source} line {number}: {what} must be non-negative integers")
        return [int(v) for v in values]


def network_from_nnet_text(text: str, source: str = "<nnet>", policy: str = "exact") -> tuple[Network, NnetHeader]:
    """Parse ``.nnet`` text into the exact network and its (unapplied) normalisation header."""
    policy = check_policy(policy)
    lines = _Lines(text, source, policy)
    counts = lines.next_ints(None, "the header line (layers, inputs, outputs, max width)")
    if len(counts) < 3:
        raise InputFormatError(f"{source}: the header line must give the layer, input and output counts")
    layer_count, inputs, outputs = counts[:3]
    if layer_count < 1 or inputs < 1 or outputs < 1:
        raise InputFormatError(f"{source}: the header line must give positive layer, input and output counts")
    sizes = lines.next_ints(layer_count + 1, "the layer sizes")
    if sizes[0] != inputs or sizes[-1] != outputs or min(sizes) < 1:
        raise ShapeError(f"{source}: layer sizes {sizes} do not start with {inputs} inputs and end with {outputs} outputs")
    lines.next_numbers(None, "the symmetric flag")
    header = NnetHeader(
        tuple(lines.next_numbers(inputs, "the input minimums")),
        tuple(lines.next_numbers(inputs, "the input maximums")),
        tuple(lines.next_numbers(inputs + 1, "the means")),
        tuple(lines.next_numbers(inputs + 1, "the ranges")),
    )
    layers = []
    for index in range(layer_count):
        rows = tuple(tuple(lines.next_numbers(sizes[index], f"layer {index} weight row {r}")) for r in range(sizes[index + 1]))
        bias = tuple(lines.next_numbers(1, f"layer {index} bias {r}")[0] for r in range(sizes[index + 1]))
        layers.append(Layer(rows, bias))
    if lines.position != len(lines.rows):
        raise InputFormatError(f"{source} line {lines.rows[lines.position][0]}: unexpected data after the last layer")
    return Network(tuple(layers), output_relu=False, policy=policy, source=source), header


def load_nnet(path: str | Path, policy: str = "exact") -> Network:
    """Load a ``.nnet`` file (see the module doc: normalisation recorded, not applied). The file is only read."""
    return load_nnet_with_header(path, policy)[0]


def load_nnet_with_header(path: str | Path, policy: str = "exact") -> tuple[Network, NnetHeader]:
    """Like :func:`load_nnet`, also returning the recorded normalisation constants."""
    path = Path(path)
    raw = read_bytes(path, ".nnet network")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputFormatError(f"{path.name}: not a text file (a .nnet network is UTF-8 text)") from None
    return network_from_nnet_text(text, path.name, policy)
