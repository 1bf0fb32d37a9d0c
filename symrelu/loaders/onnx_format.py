"""ONNX models as exact networks (needs the ``onnx`` extra).

The graph must be a chain from its single real input to its single output built of
Gemm (alpha, beta, transA, transB honoured), MatMul (either operand order), Add
(either order), Sub (either order), Mul by a constant, Div by a constant (the data
divided, never the divisor), Neg, the activations Relu, LeakyRelu, PRelu, Abs and Clip
(:mod:`symrelu.loaders.onnx_activations`), Flatten, Reshape, Identity, and Constant
nodes that feed them. Sub, Mul, Div and Neg are the normalisation steps of VNN-COMP
exports (``(x - mean) / std``); a zero divisor is refused.
Weights are initializers or Constant outputs; a graph input that also has an
initializer is a weight, not a network input. Consecutive affine operations are
folded exactly into one layer; each activation closes a layer (one activation per
neuron), and a graph that ends in an activation gives ``output_relu=True``. Batch dimensions are taken as 1.

Every constant goes through the conversion policy element by element in its own
width (float32 initializers and the float32 attributes alpha/beta are exact under
``"exact"``); everything after that is rational arithmetic.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..activation import Activation
from ..errors import InputFormatError, MissingDependencyError, UnsupportedOperatorError
from ..exact import check_policy
from ..network import Layer, Network
from ._files import read_bytes
from .affine_state import AffineState
from .numpy_arrays import array_to_fractions, scalar_to_fraction
from .onnx_activations import ACTIVATION_OPS, activations_of

log = logging.getLogger(__name__)

AFFINE_OPS = ("Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Neg")
SHAPE_OPS = ("Flatten", "Reshape", "Identity")
SUPPORTED_OPS = AFFINE_OPS + SHAPE_OPS + tuple(ACTIVATION_OPS)
"""Operators on the data path; ``Constant`` nodes may additionally supply weights and shapes."""


def _import_onnx() -> Any:
    try:
        import onnx
        from onnx import numpy_helper  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "reading ONNX models needs the onnx package: pip install symrelu[onnx]"
        ) from None
    return onnx


def _describe(node: Any, index: int) -> str:
    name = f"{node.name!r}" if node.name else f"#{index} (unnamed, output {node.output[0]!r})" if node.output else f"#{index}"
    return f"node {name} ({node.op_type})"


class _Graph:
    """Constants, consumers and the data chain of one ONNX graph."""

    def __init__(self, model: Any, source: str, policy: str) -> None:
        onnx = _import_onnx()
        self._helper = onnx.helper
        self._numpy_helper = onnx.numpy_helper
        self.source = source
        self.policy = policy
        graph = model.graph
        self.graph = graph
        self.constants: dict[str, np.ndarray] = {}
        for tensor in graph.initializer:
            self.constants[tensor.name] = self._to_array(tensor, f"initializer {tensor.name!r}")
        self.nodes: list[tuple[int, Any]] = []
        for index, node in enumerate(graph.node):
            if node.domain not in ("", "ai.onnx"):
                raise UnsupportedOperatorError(
                    f"{source}: {_describe(node, index)} is from operator domain {node.domain!r}; "
                    f"symrelu supports standard {', '.join(SUPPORTED_OPS)}"
                )
            if node.op_type == "Constant":
                self._add_constant(node, index)
            elif node.op_type not in SUPPORTED_OPS:
                raise UnsupportedOperatorError(
                    f"{source}: {_describe(node, index)} uses operator {node.op_type}, which symrelu cannot translate "
                    f"exactly; supported: {', '.join(SUPPORTED_OPS)} (and Constant)"
                )
            else:
                self.nodes.append((index, node))

    # --------------------------------------------------------------- constants
    def _to_array(self, tensor: Any, what: str) -> np.ndarray:
        try:
            return np.asarray(self._numpy_helper.to_array(tensor))
        except (ValueError, TypeError, KeyError, RuntimeError) as err:  # unreadable or unsupported tensor data
            raise InputFormatError(f"{self.source}: cannot read {what} ({err})") from None

    def _add_constant(self, node: Any, index: int) -> None:
        if len(node.attribute) != 1 or len(node.output) != 1:
            raise InputFormatError(f"{self.source}: {_describe(node, index)} must have exactly one value attribute")
        attribute = node.attribute[0]
        if attribute.name == "value":
            value = self._to_array(attribute.t, f"{_describe(node, index)} value")
        elif attribute.name in ("value_float", "value_floats"):
            value = np.asarray(self._helper.get_attribute_value(attribute), dtype=np.float32)
        elif attribute.name in ("value_int", "value_ints"):
            value = np.asarray(self._helper.get_attribute_value(attribute), dtype=np.int64)
        else:
            raise UnsupportedOperatorError(
                f"{self.source}: {_describe(node, index)} holds a {attribute.name} constant; only numeric tensors are supported"
            )
        self.constants[node.output[0]] = value

    def weight(self, name: str, where: str) -> np.ndarray:
        """Constant ``name`` as an object array of Fractions, converted under the policy."""
        return array_to_fractions(self.constants[name], self.policy, f"{where}, constant {name!r} entry")

    def attribute(self, node: Any, name: str, default: Any) -> Any:
        for attribute in node.attribute:
            if attribute.name == name:
                return self._helper.get_attribute_value(attribute)
        return default

    def float_attribute(self, node: Any, name: str, where: str) -> Any:
        """alpha/beta: float32 attributes, converted exactly under the policy."""
        for attribute in node.attribute:
            if attribute.name == name:
                return scalar_to_fraction(np.float32(attribute.f), self.policy, f"{where} attribute {name}")
        return 1

    # ------------------------------------------------------------------ chain
    def real_input(self) -> tuple[str, tuple[int, ...]]:
        inputs = [value for value in self.graph.input if value.name not in self.constants]
        if len(inputs) != 1:
            names = ", ".join(repr(v.name) for v in inputs) or "none"
            raise InputFormatError(f"{self.source}: a network needs exactly one input without initializer, found {names}")
        value = inputs[0]
        if not value.type.HasField("tensor_type") or not value.type.tensor_type.HasField("shape"):
            raise InputFormatError(f"{self.source}: input {value.name!r} declares no tensor shape, so its size is unknown")
        dims = value.type.tensor_type.shape.dim
        shape = tuple(d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else 1 for d in dims)
        if any(not (d.HasField("dim_value") and d.dim_value > 0) for d in dims):
            log.debug("%s: input %r has symbolic dimensions, taken as batch size 1", self.source, value.name)
        return value.name, shape

    def output_name(self) -> str:
        if len(self.graph.output) != 1:
            raise InputFormatError(f"{self.source}: a network needs exactly one graph output, found {len(self.graph.output)}")
        return str(self.graph.output[0].name)

    def consumers(self) -> dict[str, list[tuple[int, Any]]]:
        found: dict[str, list[tuple[int, Any]]] = {}
        for index, node in self.nodes:
            for name in dict.fromkeys(node.input):
                if name and name not in self.constants:
                    found.setdefault(name, []).append((index, node))
        return found


class _Builder:
    """Walks the chain once, folding affine operations and closing a layer at each activation."""

    def __init__(self, graph: _Graph, input_shape: tuple[int, ...]) -> None:
        self.graph = graph
        self.layers: list[Layer] = []
        self.activations: list[tuple[Activation, ...]] = []
        self.last_activation = "Relu"
        self.state = AffineState.identity(input_shape)
        self.affine_since_relu = False
        self.ends_in_relu = False

    def where(self, node: Any, index: int) -> str:
        return f"{self.graph.source}: layer {len(self.layers)}, {_describe(node, index)}"

    def split(self, node: Any, index: int, data: str) -> tuple[int, list[str]]:
        """Position of the data operand among the node's inputs, and the constant names."""
        positions = [i for i, name in enumerate(node.input) if name == data]
        others = [name for name in node.input if name and name != data]
        if len(positions) != 1:
            raise UnsupportedOperatorError(f"{self.where(node, index)} uses the data tensor {data!r} twice; not an affine map")
        for name in others:
            if name not in self.graph.constants:
                raise UnsupportedOperatorError(
                    f"{self.where(node, index)} combines the data path with tensor {name!r}, which is neither a constant "
                    "nor the data path: branching graphs are not supported"
                )
        return positions[0], others

    def apply(self, node: Any, index: int, data: str) -> None:
        if node.op_type in ACTIVATION_OPS:
            self._activation(node, index)
        else:
            handler: Callable[[Any, int, str], None] = getattr(self, f"_op_{node.op_type.lower()}")
            handler(node, index, data)
        self.ends_in_relu = node.op_type in ACTIVATION_OPS or (self.ends_in_relu and node.op_type in SHAPE_OPS)

    def one_constant(self, node: Any, index: int, data: str) -> tuple[int, str]:
        position, others = self.split(node, index, data)
        if len(node.input) != 2 or len(others) != 1:
            raise InputFormatError(f"{self.where(node, index)} needs two inputs, got {list(node.input)}")
        return position, others[0]

    def _op_matmul(self, node: Any, index: int, data: str) -> None:
        position, other = self.one_constant(node, index, data)
        where = self.where(node, index)
        self.state = self.state.matmul(self.graph.weight(other, where), data_first=position == 0, where=where)
        self.affine_since_relu = True

    def _op_add(self, node: Any, index: int, data: str) -> None:
        _, other = self.one_constant(node, index, data)
        where = self.where(node, index)
        self.state = self.state.add(self.graph.weight(other, where), where)
        self.affine_since_relu = True

    def _op_sub(self, node: Any, index: int, data: str) -> None:
        position, other = self.one_constant(node, index, data)
        where = self.where(node, index)
        const = self.graph.weight(other, where)
        if position == 0:  # data - const
            self.state = self.state.add(-const, where)
        else:  # const - data
            self.state = self.state.multiply(np.array(Fraction(-1), dtype=object), where).add(const, where)
        self.affine_since_relu = True

    def _op_mul(self, node: Any, index: int, data: str) -> None:
        _, other = self.one_constant(node, index, data)
        where = self.where(node, index)
        self.state = self.state.multiply(self.graph.weight(other, where), where)
        self.affine_since_relu = True

    def _op_div(self, node: Any, index: int, data: str) -> None:
        position, other = self.one_constant(node, index, data)
        where = self.where(node, index)
        if position != 0:
            raise UnsupportedOperatorError(f"{where} divides the constant {other!r} by the data path, which is not affine")
        divisor = self.graph.weight(other, where)
        if any(value == 0 for value in divisor.reshape(-1)):
            raise InputFormatError(f"{where}: the divisor {other!r} has a zero entry")
        reciprocal = np.vectorize(lambda value: 1 / value, otypes=[object])(divisor) if divisor.size else divisor
        self.state = self.state.multiply(reciprocal, where)
        self.affine_since_relu = True

    def _op_neg(self, node: Any, index: int, data: str) -> None:
        if len(node.input) != 1:
            raise InputFormatError(f"{self.where(node, index)} needs one input, got {list(node.input)}")
        self.state = self.state.multiply(np.array(Fraction(-1), dtype=object), self.where(node, index))
        self.affine_since_relu = True

    def _op_gemm(self, node: Any, index: int, data: str) -> None:
        where = self.where(node, index)
        position, _ = self.split(node, index, data)
        if position == 2:
            raise UnsupportedOperatorError(f"{where}: the data path enters as C (the bias), which is not a layer")
        names = list(node.input) + [""] * (3 - len(node.input))
        alpha = self.graph.float_attribute(node, "alpha", where)
        beta = self.graph.float_attribute(node, "beta", where)
        trans = (self.graph.attribute(node, "transA", 0), self.graph.attribute(node, "transB", 0))
        const = self.graph.weight(names[1 - position], where)
        if const.ndim != 2:
            raise UnsupportedOperatorError(f"{where}: Gemm operand {names[1 - position]!r} has shape {const.shape}, not 2-D")
        if trans[1 - position]:
            const = const.T
        if alpha != 1:
            const = const * alpha
        if len(self.state.shape) != 2:
            raise UnsupportedOperatorError(f"{where}: Gemm needs a 2-D data tensor, got shape {self.state.shape}")
        if trans[position]:
            self.state = self.state.swap_last_axes(where)
        self.state = self.state.matmul(const, data_first=position == 0, where=where)
        if names[2] and beta != 0:
            bias = self.graph.weight(names[2], where)
            self.state = self.state.add(bias * beta if beta != 1 else bias, where, same_shape=True)
        self.affine_since_relu = True

    def _activation(self, node: Any, index: int) -> None:
        where = self.where(node, index)
        if not self.affine_since_relu:
            after = f"another {self.last_activation}" if self.layers else "the network input"
            raise UnsupportedOperatorError(
                f"{where} follows {after} with no affine operator (Gemm, MatMul, Add) in between; "
                "symrelu networks alternate affine layers and activations"
            )
        acts = activations_of(self.graph, node, self.state.shape, where)
        weight, bias = self.state.to_rows()
        self.layers.append(Layer(weight, bias))
        self.activations.append(acts)
        self.last_activation = node.op_type
        self.state = AffineState.identity(self.state.shape)
        self.affine_since_relu = False

    def _op_identity(self, node: Any, index: int, data: str) -> None:
        return None

    def _op_flatten(self, node: Any, index: int, data: str) -> None:
        shape = self.state.shape
        axis = int(self.graph.attribute(node, "axis", 1))
        if axis < 0:
            axis += len(shape)
        if not 0 <= axis <= len(shape):
            raise InputFormatError(f"{self.where(node, index)}: axis {axis} is outside a tensor of rank {len(shape)}")
        self.state = self.state.reshape((math.prod(shape[:axis]), math.prod(shape[axis:])))

    def _op_reshape(self, node: Any, index: int, data: str) -> None:
        where = self.where(node, index)
        _, others = self.split(node, index, data)
        if others:
            target = [int(v) for v in np.asarray(self.graph.constants[others[0]]).reshape(-1)]
        else:  # opset < 5 keeps the shape in an attribute
            target = [int(v) for v in self.graph.attribute(node, "shape", [])]
        allow_zero = int(self.graph.attribute(node, "allowzero", 0))
        current = self.state.shape
        resolved = [current[i] if v == 0 and not allow_zero and i < len(current) else v for i, v in enumerate(target)]
        size = math.prod(current)
        if resolved.count(-1) > 1 or any(v < -1 for v in resolved):
            raise InputFormatError(f"{where}: invalid target shape {target}")
        if -1 in resolved:
            known = math.prod(v for v in resolved if v != -1)
            if known == 0 or size % known:
                raise InputFormatError(f"{where}: cannot reshape {current} ({size} values) to {target}")
            resolved[resolved.index(-1)] = size // known
        if math.prod(resolved) != size:
            raise InputFormatError(f"{where}: cannot reshape {current} ({size} values) to {target}")
        self.state = self.state.reshape(tuple(resolved))


def network_from_onnx_model(model: Any, source: str = "<onnx>", policy: str = "exact") -> Network:
    """Translate a loaded ``onnx.ModelProto`` into an exact :class:`~symrelu.network.Network`."""
    policy = check_policy(policy)
    graph = _Graph(model, source, policy)
    current, shape = graph.real_input()
    output = graph.output_name()
    consumers = graph.consumers()
    builder = _Builder(graph, shape)
    visited: set[int] = set()
    while True:
        users = consumers.get(current, [])
        if current == output:
            if users:
                raise UnsupportedOperatorError(f"{source}: the output {output!r} also feeds other nodes; branching graphs are not supported")
            break
        if not users:
            raise UnsupportedOperatorError(f"{source}: tensor {current!r} is not used and is not the graph output {output!r}")
        if len(users) > 1:
            named = ", ".join(_describe(node, index) for index, node in users)
            raise UnsupportedOperatorError(f"{source}: tensor {current!r} feeds several nodes ({named}); branching graphs are not supported")
        index, node = users[0]
        if len(node.output) != 1:
            raise UnsupportedOperatorError(f"{source}: {_describe(node, index)} has {len(node.output)} outputs, expected one")
        builder.apply(node, index, current)
        visited.add(index)
        current = node.output[0]
    stray = [(index, node) for index, node in graph.nodes if index not in visited]
    if stray:
        index, node = stray[0]
        raise UnsupportedOperatorError(f"{source}: {_describe(node, index)} is not on the path from the input to the output")
    if builder.affine_since_relu:
        weight, bias = builder.state.to_rows()
        builder.layers.append(Layer(weight, bias))
    elif not builder.layers:
        raise UnsupportedOperatorError(f"{source}: the graph has no affine operator (Gemm, MatMul, Add)")
    everywhere_relu = all(act.is_relu for acts in builder.activations for act in acts)
    activations = () if everywhere_relu else tuple(builder.activations)
    network = Network(tuple(builder.layers), output_relu=builder.ends_in_relu, policy=policy, source=source, activations=activations)
    log.debug("%s: widths %s, output_relu=%s", source, network.widths, network.output_relu)
    return network


def load_onnx(path: str | Path, policy: str = "exact") -> Network:
    """Load an ``.onnx`` model; ``Network.source`` is the file name. The file is only read."""
    policy = check_policy(policy)
    onnx = _import_onnx()
    path = Path(path)
    raw = read_bytes(path, "ONNX model")
    from google.protobuf.message import Error as ProtobufError

    try:
        model = onnx.load_from_string(raw)
    except (ProtobufError, ValueError) as err:
        raise InputFormatError(f"{path.name}: not a readable ONNX model ({type(err).__name__}: {err})") from None
    if any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer):
        from onnx.external_data_helper import load_external_data_for_model

        try:
            load_external_data_for_model(model, str(path.parent))
        except (OSError, ValueError) as err:  # missing or unreadable side files
            raise InputFormatError(f"{path.name}: cannot read external tensor data ({err})") from None
    return network_from_onnx_model(model, path.name, policy)
