# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. Closed forms and activation regions
#
# A ReLU network is a *piecewise-affine* function of its input: the input space splits into
# **activation regions**, one for each pattern of active (output > 0) and inactive neurons, and on
# each region the network is an ordinary affine map `x ↦ J x + c`. `symrelu` computes all of this
# **exactly**, in rational arithmetic: no rounding, no sampling.
#
# **In this notebook you will learn to**
#
# 1. write a network as an exact SymPy **closed form** (nested `Max(0, ·)`),
# 2. enumerate its **activation regions** on a box and read off the **affine map** on each one,
# 3. see how the **number of regions grows with width** (and why depth grows it faster),
# 4. do the same for a **real ONNX network** exported by another project, whose float32 weights
#    are turned into their exact rational values.
#
# Everything here uses the public API of `symrelu`: `load_network`, `example_path`,
# `Network.from_rows`, `closed_form`, `enumerate_regions` and `lipschitz_constant`.
# Floats appear only when we draw.

# %%
import os
from fractions import Fraction as F
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import sympy
from matplotlib.collections import PolyCollection
from mpl_toolkits.mplot3d.art3d import Poly3DCollection

import symrelu

sympy.init_printing()

# %% [markdown]
# ## 1.1 A one-input warm-up
#
# The bundled example `one_input` is a 1-3-1 network. Its closed form is a sum of three ReLUs;
# `form="piecewise"` shows the same function with explicit cases.

# %%
bump = symrelu.load_network(symrelu.example_path("one_input"))
print("widths:", bump.widths)
symrelu.closed_form(bump)[0]

# %%
symrelu.closed_form(bump, form="piecewise")[0]

# %% [markdown]
# On the interval `[-1, 1]` the network has one linear piece per activation region. Each `Region`
# carries its activation `pattern` (one bit per hidden neuron), the exact `jacobian` and `offset`
# of its affine map, and its exact `vertices` (here: the two ends of an interval).

# %%
pieces = symrelu.enumerate_regions(bump, [(-1, 1)])
for r in pieces:
    lo, hi = sorted(v[0] for v in r.vertices)
    print(f"pattern {symrelu.format_pattern(r.pattern)}  on [{lo}, {hi}]:  f(x) = {r.jacobian[0][0]}·x + {r.offset[0]}")

# %% [markdown]
# The kinks sit at −1/2, 0 and 1/2 (where a neuron switches) and the pieces have slopes 0, 1, −1, 1.
# We check that exactly:

# %%
assert len(pieces) == 4
assert sorted({v[0] for r in pieces for v in r.vertices}) == [F(-1), F(-1, 2), F(0), F(1, 2), F(1)]
assert [r.jacobian[0][0] for r in pieces] == [0, 1, -1, 1]

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
for i, r in enumerate(pieces):
    xs = sorted(v[0] for v in r.vertices)
    ys = [bump.evaluate([x])[0] for x in xs]
    ax.plot([float(x) for x in xs], [float(y) for y in ys], linewidth=2.5,
            label=f"pattern {symrelu.format_pattern(r.pattern)}: slope {r.jacobian[0][0]}")
kinks = [F(-1, 2), F(0), F(1, 2)]
ax.scatter([float(k) for k in kinks], [float(bump.evaluate([k])[0]) for k in kinks],
           color="black", zorder=3, label="kinks (a neuron switches)")
ax.set_xlabel("input $x_0$")
ax.set_ylabel("output $f(x_0)$")
ax.set_title("one_input: four affine pieces on [-1, 1]")
ax.grid(alpha=0.3)
ax.legend(fontsize=8, loc="upper left")
plt.show()

# %% [markdown]
# ## 1.2 A network with two inputs
#
# `two_inputs` is a 2-4-4-1 network with small dyadic weights. Its closed form is already long:
# every neuron of the second layer takes a `Max` of a sum of `Max`es.

# %%
net = symrelu.load_network(symrelu.example_path("two_inputs"))
print("widths:", net.widths)
expr = symrelu.closed_form(net)[0]
print("number of Max(0, ·) in the closed form:", sum(1 for _ in expr.atoms(sympy.Max)))
expr

# %% [markdown]
# The closed form is a faithful, exact description, and it agrees with the network's own
# rational evaluation at any point:

# %%
x0, x1 = sympy.symbols("x0 x1", real=True)
point = (F(1, 3), F(-2, 7))
value = expr.subs({x0: sympy.Rational(1, 3), x1: sympy.Rational(-2, 7)})
print("closed form:", value, "  network:", net.evaluate(point)[0])
assert value == sympy.Rational(net.evaluate(point)[0].numerator, net.evaluate(point)[0].denominator)

# %% [markdown]
# ### The partition of the square [−1, 1]²
#
# `enumerate_regions` cuts the square layer by layer with exact integer arithmetic. It returns the
# regions sorted by pattern; the pattern has one tuple of bits per hidden layer.

# %%
box = [(-1, 1), (-1, 1)]
regions = symrelu.enumerate_regions(net, box)
print(len(regions), "regions; total area", sum(r.measure for r in regions))

# %%
assert len(regions) == 18
assert sum(r.measure for r in regions) == 4  # the regions tile the square exactly

# %% [markdown]
# The affine map on each region, with the region's exact area. On every region the map is checked
# against the network at an exact interior point.

# %%
print(f"{'#':>2}  {'pattern':<11} {'J (gradient)':<20} {'offset':>7} {'area':>10}")
for i, r in enumerate(regions):
    J = "(" + ", ".join(str(v) for v in r.jacobian[0]) + ")"
    print(f"{i:>2}  {symrelu.format_pattern(r.pattern):<11} {J:<20} {str(r.offset[0]):>7} {str(r.measure):>10}")
    p = r.interior_point
    assert net.evaluate(p)[0] == r.jacobian[0][0] * p[0] + r.jacobian[0][1] * p[1] + r.offset[0]

# %% [markdown]
# A region is an intersection of half-planes. `constraints` lists the non-redundant ones and says
# where each comes from (a neuron's sign, or a side of the box):

# %%
for c in regions[0].constraints:
    print(f"{c.coefficients[0]}·x0 + {c.coefficients[1]}·x1 <= {c.bound}    ({c.source})")

# %% [markdown]
# Now the picture. Left: the partition, each region numbered as in the table above and coloured
# by the network's value at its interior point. Right: the graph of `f`, drawn exactly as it is,
# one flat polygon per region (no grid, no interpolation).

# %%
def polygons(regs):
    return [[(float(a), float(b)) for a, b in r.vertices] for r in regs]


values = [float(net.evaluate(r.interior_point)[0]) for r in regions]
fig = plt.figure(figsize=(13, 5.5))
ax = fig.add_subplot(1, 2, 1)
coll = PolyCollection(polygons(regions), array=np.array(values), cmap="viridis", edgecolors="black", linewidths=0.8)
ax.add_collection(coll)
fig.colorbar(coll, ax=ax, label="f at the region's interior point")
for i, r in enumerate(regions):
    p = r.interior_point
    ax.text(float(p[0]), float(p[1]), str(i), ha="center", va="center", fontsize=8,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", alpha=0.8, linewidth=0))
ax.plot([], [], color="black", linewidth=0.8, label="kinks (region boundaries)")
ax.set_xlim(-1, 1)
ax.set_ylim(-1, 1)
ax.set_aspect("equal")
ax.set_xlabel("$x_0$")
ax.set_ylabel("$x_1$")
ax.set_title(f"two_inputs: {len(regions)} activation regions on $[-1,1]^2$")
ax.legend(loc="lower left", fontsize=8)

ax3 = fig.add_subplot(1, 2, 2, projection="3d")
faces = [[(float(a), float(b), float(net.evaluate((a, b))[0])) for a, b in r.vertices] for r in regions]
cmap = plt.get_cmap("viridis")
lo, hi = min(values), max(values)
ax3.add_collection3d(Poly3DCollection(faces, facecolors=[cmap((v - lo) / (hi - lo)) for v in values],
                                      edgecolors="black", linewidths=0.5, alpha=0.95))
zs = [z for face in faces for _, _, z in face]
ax3.set_xlim(-1, 1)
ax3.set_ylim(-1, 1)
ax3.set_zlim(min(zs), max(zs))
ax3.set_xticks([-1, -0.5, 0, 0.5, 1])
ax3.set_yticks([-1, -0.5, 0, 0.5, 1])
ax3.set_xlabel("$x_0$")
ax3.set_ylabel("$x_1$")
ax3.set_zlabel("$f(x)$")
ax3.view_init(elev=30, azim=-130)
ax3.set_title("graph of f: one flat facet per region")
plt.tight_layout()
plt.show()

# %% [markdown]
# ### A consequence: the exact Lipschitz constant
#
# Because `f` is affine on each region, its Lipschitz constant on the box (Euclidean norm) is the
# largest gradient norm over the regions. `lipschitz_constant` returns it exactly (as a square root
# of a rational), with the region where it is attained and a witness pair that attains it.

# %%
lip = symrelu.lipschitz_constant(net, box, norm="2", regions=regions)
print("K =", lip.constant, "  K² =", lip.constant_squared, "  attained on pattern", symrelu.format_pattern(lip.pattern))
(xa, xb) = lip.witness
ratio_sq = (net.evaluate(xa)[0] - net.evaluate(xb)[0]) ** 2 / sum((a - b) ** 2 for a, b in zip(xa, xb))
assert lip.constant_squared == F(3361, 2048)
assert ratio_sq == lip.constant_squared  # the witness pair attains K exactly

# %% [markdown]
# ## 1.3 How the number of regions grows with width
#
# One hidden layer of `n` neurons on a 2-D input gives `n` lines; `n` lines cut the plane into at
# most `1 + n + n(n−1)/2` pieces (Zaslavsky's bound for an arrangement in general position), so a
# one-hidden-layer network has at most that many regions. A second hidden layer bends each
# first-layer region again, which is why depth multiplies regions.
#
# We build random networks with small dyadic weights (seeded, so the counts are reproducible) and
# count exactly on `[−1, 1]²`. Only part of each arrangement falls inside the box, so the counts
# stay below the bound.

# %%
def random_network(widths, seed):
    """A ReLU network with weights k/8, k in [-8, 8], built from rows of exact rationals."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        W = rng.integers(-8, 9, size=(fan_out, fan_in))
        b = rng.integers(-4, 5, size=fan_out)
        layers.append(([[F(int(v), 8) for v in row] for row in W], [F(int(v), 8) for v in b]))
    return symrelu.Network.from_rows(layers, source=f"random {widths}")


widths = [1, 2, 4, 6, 8, 12, 16, 24, 32]
seeds = [0, 1, 2]
shallow = {n: [len(symrelu.enumerate_regions(random_network((2, n, 1), s), box)) for s in seeds] for n in widths}
deep = {n: [len(symrelu.enumerate_regions(random_network((2, n, n, 1), s), box)) for s in seeds] for n in widths[:7]}
for n in widths:
    print(f"width {n:>2}: one layer {shallow[n]},  two layers {deep.get(n, '-')},  bound 1+n+n(n-1)/2 = {1 + n + n * (n - 1) // 2}")

# %%
for n, counts in shallow.items():
    assert all(c <= 1 + n + n * (n - 1) // 2 for c in counts), n

# %%
fig, ax = plt.subplots(figsize=(7.5, 4.5))
ns = np.array(widths)
ax.plot(ns, 1 + ns + ns * (ns - 1) / 2, "k--", label="bound $1 + n + n(n-1)/2$ (one layer, whole plane)")
for data, label, color in [(shallow, "one hidden layer: 2-n-1", "tab:blue"), (deep, "two hidden layers: 2-n-n-1", "tab:red")]:
    xs = np.array(list(data))
    mean = np.array([np.mean(v) for v in data.values()])
    lo = mean - np.array([min(v) for v in data.values()])
    hi = np.array([max(v) for v in data.values()]) - mean
    ax.errorbar(xs, mean, yerr=[lo, hi], marker="o", capsize=3, color=color, label=f"{label} (mean, min–max of 3 seeds)")
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set_xlabel("hidden width n")
ax.set_ylabel("number of activation regions in $[-1,1]^2$")
ax.set_title("Regions grow with width, and faster with depth")
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 1.4 A real ONNX network
#
# The folder `symrelu/examples/nets/` (bundled with the package) holds small networks from public verification
# projects (Marabou, VNN-COMP). The loader turns each float32 weight into **its exact rational value**
# (`policy="exact"`), so the network we analyse is the very function the file describes.
#
# The cell below finds that folder inside the installed package; set the environment variable
# `SYMRELU_NETS` to point elsewhere.

# %%
def find_nets() -> Path:
    if os.environ.get("SYMRELU_NETS"):
        return Path(os.environ["SYMRELU_NETS"])
    return Path(str(resources.files("symrelu").joinpath("examples", "nets")))


NETS = find_nets()
print(sorted(p.name for p in NETS.glob("*.onnx")))

# %% [markdown]
# ### `test_small.onnx` (VNN-COMP 2021): a 1-2-2-1 network
#
# The folder's README says, from independent tools: on `[−3, 1]` it has two linear pieces with
# slopes 24 and 0. We find the same, exactly, and also where the kink is.

# %%
small = symrelu.load_network(NETS / "test_small.onnx")
small_pieces = symrelu.enumerate_regions(small, [(-3, 1)])
for r in small_pieces:
    print(sorted(v[0] for v in r.vertices), "slope", r.jacobian[0][0], "offset", r.offset[0])
assert [r.jacobian[0][0] for r in small_pieces] == [0, 24]
assert small_pieces[0].contains([F(-3, 2)]) and small_pieces[1].contains([F(-3, 2)])  # the kink is at -3/2

# %% [markdown]
# ### `fc1.onnx` (Marabou): a 2-25-25-25-2 network
#
# Three hidden layers of 25 neurons and two outputs. Its first weight is a float32, and its exact
# value is a dyadic rational:

# %%
fc1 = symrelu.load_network(NETS / "fc1.onnx")
print("widths:", fc1.widths, "  policy:", fc1.policy)
print("first weight:", fc1.layers[0].weight[0][0], "=", float(fc1.layers[0].weight[0][0]))

# %%
fc1_counts = {s: len(symrelu.enumerate_regions(fc1, [(-s, s), (-s, s)])) for s in (1, 2, 4)}
print("regions in [-s, s]^2:", fc1_counts)
assert fc1_counts[1] == 71

# %%
fc1_box = [(-2, 2), (-2, 2)]
fc1_regions = symrelu.enumerate_regions(fc1, fc1_box)
fig, axes = plt.subplots(1, 2, figsize=(13, 5.5))
for k, ax in enumerate(axes):
    vals = np.array([float(fc1.evaluate(r.interior_point)[k]) for r in fc1_regions])
    coll = PolyCollection(polygons(fc1_regions), array=vals, cmap="viridis", edgecolors="black", linewidths=0.3)
    ax.add_collection(coll)
    fig.colorbar(coll, ax=ax, label=f"output {k} at the region's interior point")
    ax.plot([], [], color="black", linewidth=0.8, label="region boundaries")
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.set_title(f"fc1.onnx, output {k}: {len(fc1_regions)} regions on $[-2,2]^2$")
    ax.legend(loc="lower left", fontsize=8)
plt.tight_layout()
plt.show()

# %%
for k in range(2):
    res = symrelu.lipschitz_constant(fc1, fc1_box, norm="2", output=k, regions=fc1_regions)
    print(f"output {k}: exact Lipschitz constant K = {float(res.constant):.6f} (K² is a rational with "
          f"{len(str(res.constant_squared.denominator))}-digit denominator)")

# %% [markdown]
# ## Exercises
#
# 1. Build `|x|` as `Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])`. How many regions
#    does it have on `[-1, 1]`? On `[1, 2]`? Why?
# 2. Change one weight of `two_inputs` (write it with `Network.from_rows`) so that two of its kink
#    lines become parallel. How does the region count change?
# 3. In the width experiment, replace the box `[−1, 1]²` by `[−8, 8]²`. Do the one-layer counts get
#    closer to the bound `1 + n + n(n−1)/2`? Explain.
# 4. Load `fc1.onnx` with `policy="decimal"` (the shortest decimal of each float32). Is the region
#    count on `[−1, 1]²` the same? Is the Lipschitz constant the same?
# 5. For `test_small.onnx`, find the exact input at which the output starts to grow (hint: the
#    common vertex of the two regions).
