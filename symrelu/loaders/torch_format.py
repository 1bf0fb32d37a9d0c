"""PyTorch ``nn.Sequential`` of Linear and ReLU as an exact network (needs the ``torch`` extra).

Weights are read element by element in their own dtype (float32 -> its exact value
under ``"exact"``); bfloat16 tensors are widened to float32 first, which is exact.
A ReLU after the last Linear gives ``output_relu=True``. Two Linear modules in a
row are composed exactly into one layer.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, ShapeError, UnsupportedOperatorError, install_hint
from ..exact import check_policy
from ..network import Layer, Network
from .numpy_arrays import layer_from_arrays

log = logging.getLogger(__name__)


def _import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise MissingDependencyError(f"from_torch needs PyTorch: {install_hint('torch')}") from None
    return torch


def _to_numpy(tensor: Any, torch: Any) -> np.ndarray:
    tensor = tensor.detach().cpu()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.to(torch.float32)
    return tensor.numpy()


def _compose(outer: Layer, inner: Layer) -> Layer:
    """The layer ``x -> outer(inner(x))`` in exact arithmetic."""
    weight = tuple(
        tuple(sum((w * inner.weight[k][j] for k, w in enumerate(row)), Fraction(0)) for j in range(inner.in_dim))
        for row in outer.weight
    )
    bias = tuple(
        sum((w * b for w, b in zip(row, inner.bias, strict=True)), Fraction(0)) + c for row, c in zip(outer.weight, outer.bias, strict=True)
    )
    return Layer(weight, bias)


def from_torch(module: Any, policy: str = "exact") -> Network:
    """Translate an ``nn.Sequential`` of ``nn.Linear`` and ``nn.ReLU`` into an exact network."""
    policy = check_policy(policy)
    torch = _import_torch()
    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise UnsupportedOperatorError(
            f"from_torch expects an nn.Sequential of Linear and ReLU, got {type(module).__name__}"
        )
    source = f"<torch {type(module).__name__}>"
    layers: list[Layer] = []
    pending: Layer | None = None
    output_relu = False
    for index, child in enumerate(module):
        where = f"{source}: module {index} ({type(child).__name__})"
        if isinstance(child, nn.Linear):
            weight = _to_numpy(child.weight, torch)
            bias = _to_numpy(child.bias, torch) if child.bias is not None else np.zeros(weight.shape[0], dtype=np.int64)
            layer = layer_from_arrays(weight, bias, policy, where)
            if pending is not None:
                if pending.out_dim != layer.in_dim:
                    raise ShapeError(
                        f"{where}: weight is {layer.out_dim}x{layer.in_dim} but the previous Linear outputs "
                        f"{pending.out_dim} values ({pending.out_dim}x{pending.in_dim})"
                    )
                log.debug("%s: composing two Linear modules without ReLU into one layer", where)
                layer = _compose(layer, pending)
            pending = layer
            output_relu = False
        elif isinstance(child, nn.ReLU):
            if pending is None:
                after = "another ReLU" if layers else "the input"
                raise UnsupportedOperatorError(f"{where} follows {after} with no Linear in between")
            layers.append(pending)
            pending = None
            output_relu = True
        else:
            raise UnsupportedOperatorError(
                f"{where} is not supported; from_torch accepts only nn.Linear and nn.ReLU modules"
            )
    if pending is not None:
        layers.append(pending)
    if not layers:
        raise ShapeError(f"{source}: the Sequential has no Linear module; a network needs at least one layer")
    return Network(tuple(layers), output_relu=output_relu, policy=policy, source=source)
