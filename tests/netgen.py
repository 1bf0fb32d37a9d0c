"""Seeded random exact networks shared by the tests (rational weights k/den)."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import strategies as st

from symrelu import Network


def random_network(widths: tuple[int, ...], seed: int, den: int = 8, output_relu: bool = False) -> Network:
    """A network with weights ``k/den``, ``k`` uniform in ``[-den, den]`` (zeros included)."""
    rng = random.Random(seed)
    layers = []
    for fan_in, fan_out in zip(widths, widths[1:]):
        weight = [[Fraction(rng.randint(-den, den), den) for _ in range(fan_in)] for _ in range(fan_out)]
        bias = [Fraction(rng.randint(-den, den), den) for _ in range(fan_out)]
        layers.append((weight, bias))
    return Network.from_rows(layers, output_relu=output_relu, source=f"random{widths}#{seed}")


@st.composite
def small_networks(draw: st.DrawFn, input_dims: tuple[int, ...] = (1, 2), max_width: int = 4, max_hidden: int = 2) -> Network:
    """Hypothesis strategy: small random networks over 1-D or 2-D inputs."""
    dim = draw(st.sampled_from(input_dims))
    hidden = draw(st.lists(st.integers(1, max_width), min_size=1, max_size=max_hidden))
    outputs = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 10**6))
    return random_network((dim, *hidden, outputs), seed, den=draw(st.sampled_from([2, 4, 8])), output_relu=draw(st.booleans()))
