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
# # 3. Clarke subdifferentials and backpropagation
#
# At a kink a ReLU network (or its loss) has no gradient. The right replacement is the
# **Clarke subdifferential**: the convex hull of the gradients of the pieces that meet at the point.
# For a piecewise-affine or piecewise-polynomial function it is a **polygon** (a polytope), and
# `symrelu` computes its exact vertices.
#
# Autodiff frameworks do something else: they run the chain rule with a fixed number for
# `relu'(0)`, usually 0. The result is *some* vector, and nothing guarantees that it lies in the
# Clarke set.
#
# **In this notebook you will learn to**
#
# 1. compute and **draw Clarke sets as polygons** at kink points, in parameter space (the paper's
#    loss) and in input space (a network's Jacobian),
# 2. see what **backpropagation returns** with `relu'(0) = 0`, `1` and `1/2`, and audit it exactly,
# 3. meet an example where **backpropagation's value lies outside the Clarke set**, and understand why.
#
# API used: `symrelu.params.paper_instance`, `clarke_subdifferential`, `parameter_backprop_audit`,
# `tied_relu_instance`, `min_norm_point`; `symrelu.clarke_jacobian`, `symrelu.backprop_audit`.

# %%
from fractions import Fraction as F

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon

import symrelu
from symrelu import params

# %% [markdown]
# ## 3.1 The paper's loss and its Clarke sets
#
# The two-neuron instance is `ℓ(w1, w2) = ½ (relu(w1) + relu(w2) − 1)²`. Its kinks are the axes
# `w1 = 0` and `w2 = 0`. On the four open quadrants `ℓ` is a polynomial with gradient
#
# | region (signs of w1, w2) | ∇ℓ |
# |---|---|
# | `11` (+, +) | (w1 + w2 − 1)·(1, 1) |
# | `10` (+, −) | (w1 − 1, 0) |
# | `01` (−, +) | (0, w2 − 1) |
# | `00` (−, −) | (0, 0) |
#
# At a point on a kink, the Clarke set is the hull of the gradients of the regions that touch it,
# evaluated at that point.

# %%
problem = params.paper_instance()
points = {"origin (0, 0)": (F(0), F(0)), "(0, −1)": (F(0), F(-1)), "(1/2, 0)": (F(1, 2), F(0))}
clarke = {name: params.clarke_subdifferential(problem, p) for name, p in points.items()}
for name, c in clarke.items():
    print(f"{name:>14}: active regions {c.active_patterns}, vertices {[tuple(map(str, v)) for v in c.vertices]}")

# %% [markdown]
# The paper's claim C7, checked exactly: `∂_C ℓ(0, 0) = [−1, 0]²` (all four quadrants meet there)
# and `∂_C ℓ(0, w2) = [−1, 0] × {0}` for `w2 < 0` (only the regions `00` and `10` meet there).

# %%
square = {(F(-1), F(-1)), (F(-1), F(0)), (F(0), F(-1)), (F(0), F(0))}
assert set(clarke["origin (0, 0)"].vertices) == square
assert set(clarke["(0, −1)"].vertices) == {(F(-1), F(0)), (F(0), F(0))}
assert set(clarke["(1/2, 0)"].vertices) == {(F(-1, 2), F(-1, 2)), (F(-1, 2), F(0))}
assert clarke["origin (0, 0)"].active_patterns == ("00", "01", "10", "11")
# membership is exact: a point just outside the square is refused
assert clarke["origin (0, 0)"].contains((F(-1, 2), F(-1, 3)))
assert not clarke["origin (0, 0)"].contains((F(1, 10**12), F(-1, 2)))

# %% [markdown]
# ### What backpropagation returns
#
# `parameter_backprop_audit(problem, θ, s)` runs reverse-mode differentiation exactly with `relu'(0) = s` and
# tests the result against the Clarke set, returning convex weights as a certificate when it is inside.

# %%
audits = {}
for name, p in points.items():
    for s in (0, F(1, 2), 1):
        a = params.parameter_backprop_audit(problem, p, s)
        audits[name, s] = a
        print(f"{name:>14}  relu'(0) = {str(s):>3}: backprop = {tuple(map(str, a.backprop))}, in Clarke set: {a.in_clarke}")

# %%
assert audits["origin (0, 0)", 0].backprop == (0, 0)
assert audits["origin (0, 0)", 1].backprop == (-1, -1)
assert all(a.in_clarke for a in audits.values())  # for this loss, backprop is always a Clarke subgradient

# %% [markdown]
# The **minimum-norm** element of a Clarke set is the steepest-descent direction of a nonsmooth
# function. At the origin it is `(0, 0)`: the origin is a *Clarke-stationary point*, although the loss
# there is ½, far from its minimum 0. A subgradient method that uses the minimum-norm element
# never leaves it; backprop with `relu'(0) = 1` does (its value is `(−1, −1)`).

# %%
print({name: tuple(map(str, params.min_norm_point(c.vertices))) for name, c in clarke.items()})
assert params.min_norm_point(clarke["origin (0, 0)"].vertices) == (0, 0)
assert params.min_norm_point(clarke["(1/2, 0)"].vertices) == (F(-1, 2), F(0))

# %% [markdown]
# ### The picture: Clarke sets in gradient space
#
# Each panel is drawn in **gradient space** `(∂ℓ/∂w1, ∂ℓ/∂w2)`. The shaded polygon is the Clarke set,
# the grey rings are the gradients of the active regions, and the filled markers are what
# backpropagation returns for three values of `relu'(0)`. Where two of them are the same point, the
# ring is drawn around the marker and the min-norm star behind it, so nothing hides anything.

# %%
markers = {0: ("o", "tab:blue"), F(1, 2): ("s", "tab:green"), 1: ("^", "tab:red")}


def draw_clarke(ax, vertices, gradients, title):
    pts = np.array([[float(v) for v in vert] for vert in vertices])
    # the hull's vertices come sorted lexicographically; order them around their centre to draw a polygon
    centre = pts.mean(axis=0)
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0]))]
    if len(pts) >= 3:
        ax.add_patch(Polygon(pts, closed=True, facecolor="gold", edgecolor="darkorange", alpha=0.5, linewidth=2,
                             label="Clarke set (polygon, segment or point)"))
    elif len(pts) == 2:
        ax.plot(pts[:, 0], pts[:, 1], color="darkorange", linewidth=6, alpha=0.6, solid_capstyle="round",
                label="Clarke set")
    else:
        ax.scatter(pts[:, 0], pts[:, 1], s=300, color="gold", edgecolor="darkorange", label="Clarke set")
    g = np.array([[float(v) for v in grad] for grad in gradients])
    # open rings on top: a backprop marker at the same point stays visible inside its ring
    ax.scatter(g[:, 0], g[:, 1], facecolors="none", edgecolors="dimgrey", s=260, linewidths=2, zorder=6,
               label="gradients of active regions")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.set_aspect("equal")


fig, axes = plt.subplots(1, 3, figsize=(15, 5))
for ax, (name, c) in zip(axes, clarke.items(), strict=True):
    draw_clarke(ax, c.vertices, c.gradients, f"$\\partial_C \\ell$ at θ = {name}")
    for s, (m, col) in markers.items():
        b = audits[name, s].backprop
        ax.scatter([float(b[0])], [float(b[1])], marker=m, color=col, s=70, zorder=5, edgecolor="black",
                   label=f"backprop, relu'(0) = {s}")
    mn = params.min_norm_point(c.vertices)
    # behind the markers and larger, so a backprop value equal to it (relu'(0) = 0 at the origin) shows inside it
    ax.scatter([float(mn[0])], [float(mn[1])], marker="*", color="white", edgecolors="black", s=900,
               linewidths=1.2, zorder=4, label="min-norm element")
    ax.set_xlim(-1.4, 0.4)
    ax.set_ylim(-1.4, 0.4)
    ax.set_xlabel("$\\partial \\ell / \\partial w_1$")
    ax.set_ylabel("$\\partial \\ell / \\partial w_2$")
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="lower center", ncol=6, fontsize=9, markerscale=0.6)
fig.suptitle("Clarke sets of the paper's loss at three kink points, and what backpropagation returns")
plt.tight_layout(rect=(0, 0.07, 1, 1))
plt.show()

# %% [markdown]
# ## 3.2 When backpropagation leaves the Clarke set
#
# Backprop applies the chain rule neuron by neuron, as if each `relu'(0)` could be chosen on its
# own. When two neurons **share a parameter** and their kinks coincide, the true pieces couple the
# choices, and the chain rule can produce a combination no region has.
#
# The bundled `tied_relu_instance` is the smallest case (Kakade & Lee 2018): one weight `w` feeds
# `relu(w·1)` and `relu(w·(−1))`, and the output is `relu(w) − relu(−w) = w`. With target `y = 1`
# the loss is the *smooth* parabola `ℓ(w) = ½ (w − 1)²`, so `∂_C ℓ(0) = {ℓ'(0)} = {−1}`. Backprop gives

# %%
tied = params.tied_relu_instance()
tied_audit = {s: params.parameter_backprop_audit(tied, (F(0),), s) for s in (0, F(1, 2), 1)}
for s, a in tied_audit.items():
    print(f"relu'(0) = {str(s):>3}: backprop = {a.backprop[0]},  Clarke set = {{{', '.join(str(v[0]) for v in a.clarke.vertices)}}},  inside: {a.in_clarke}")

# %%
assert tied_audit[0].clarke.vertices == ((F(-1),),)
assert tied_audit[0].backprop == (0,) and not tied_audit[0].in_clarke  # PyTorch's convention: outside
assert tied_audit[1].backprop == (-2,) and not tied_audit[1].in_clarke
assert tied_audit[F(1, 2)].backprop == (-1,) and tied_audit[F(1, 2)].in_clarke

# %% [markdown]
# With the usual `relu'(0) = 0`, backprop reports a zero derivative at `w = 0` and gradient descent
# would stop there, although the loss is a parabola with slope −1 at that point.

# %%
ws = np.linspace(-0.8, 0.8, 200)
fig, ax = plt.subplots(figsize=(7.5, 4.5))
ax.plot(ws, 0.5 * (ws - 1) ** 2, color="black", linewidth=2, label="loss $\\ell(w) = \\frac{1}{2}(w-1)^2$")
for s, (_m, col) in markers.items():
    slope = float(tied_audit[s].backprop[0])
    inside = "inside" if tied_audit[s].in_clarke else "OUTSIDE"
    ax.plot(ws, 0.5 + slope * ws, linestyle="--", color=col,
            label=f"relu'(0) = {s}: backprop slope {tied_audit[s].backprop[0]} ({inside} $\\partial_C\\ell(0) = \\{{-1\\}}$)")
ax.scatter([0], [0.5], color="black", zorder=3)
ax.set_ylim(-0.6, 1.8)
ax.set_xlabel("parameter $w$")
ax.set_ylabel("loss")
ax.set_title("Tied ReLUs: the loss is smooth, backprop's slope at w = 0 is not its derivative")
ax.grid(alpha=0.3)
ax.legend(fontsize=8, loc="upper right")
plt.show()

# %% [markdown]
# ## 3.3 The same questions in input space
#
# For a network `f(x)` the object is the **Clarke Jacobian** `∂_C f(x)`: the hull of the Jacobians of
# the activation regions whose closure contains `x`. `symrelu.clarke_jacobian` finds those regions
# exactly (however many kinks meet at `x`) and `symrelu.backprop_audit` audits backprop.
#
# First the bundled `two_inputs` network at a point where **four regions meet** (a vertex of the
# partition drawn in notebook 1):

# %%
net = symrelu.load_network(symrelu.example_path("two_inputs"))
vertex = (F(0), F(-1, 4))
cj = symrelu.clarke_jacobian(net, vertex)
print("kinks at the point (layer, neuron):", cj.kinks)
print("active Jacobians:", [tuple(map(str, j[0])) for j in cj.active_jacobians])
net_audit = {s: symrelu.backprop_audit(net, vertex, relu_grad_at_zero=s) for s in (0, F(1, 2), 1)}
for s, a in net_audit.items():
    print(f"relu'(0) = {str(s):>3}: backprop = {tuple(map(str, a.backprop[0]))}, in Clarke Jacobian: {a.in_clarke}")

# %%
assert len(cj.active_jacobians) == 4 and len(cj.vertices) == 4
assert all(a.in_clarke for a in net_audit.values())

# %% [markdown]
# Now a network built to fail: `f(x) = relu(x0) − relu(−x0) + relu(x1) + relu(x0 + x1)`. The first two
# neurons add up to the identity `x0`, whose slope is 1 on both sides. At the origin three kink
# lines meet; the six sectors have gradients `(1,0)+(0 or (0,1))+(0 or (1,1))`, so the Clarke Jacobian
# is the parallelogram with vertices `(1,0), (2,1), (2,2), (1,1)`.

# %%
crafted = symrelu.Network.from_rows(
    [([[1, 0], [-1, 0], [0, 1], [1, 1]], [0, 0, 0, 0]), ([[1, -1, 1, 1]], [0])], source="crafted")
origin = (F(0), F(0))
ccj = symrelu.clarke_jacobian(crafted, origin)
crafted_audit = {s: symrelu.backprop_audit(crafted, origin, relu_grad_at_zero=s) for s in (0, F(1, 2), 1)}
print("Clarke Jacobian vertices:", [tuple(map(str, v[0])) for v in ccj.vertices])
for s, a in crafted_audit.items():
    print(f"relu'(0) = {str(s):>3}: backprop = {tuple(map(str, a.backprop[0]))}, in Clarke Jacobian: {a.in_clarke}")

# %%
assert {v[0] for v in ccj.vertices} == {(1, 0), (2, 1), (2, 2), (1, 1)}
assert crafted_audit[0].backprop == ((0, 0),) and not crafted_audit[0].in_clarke
assert crafted_audit[1].backprop == ((3, 2),) and not crafted_audit[1].in_clarke
assert crafted_audit[F(1, 2)].in_clarke

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
for ax, (title, jac, aud) in zip(axes, [("two_inputs at x = (0, −1/4): four regions meet", cj, net_audit),
                                        ("crafted network at x = (0, 0): six regions meet", ccj, crafted_audit)], strict=True):
    draw_clarke(ax, [v[0] for v in jac.vertices], [j[0] for j in jac.active_jacobians], title)
    for s, (m, col) in markers.items():
        b = aud[s].backprop[0]
        where = "in" if aud[s].in_clarke else "OUTSIDE"
        ax.scatter([float(b[0])], [float(b[1])], marker=m, color=col, s=70, zorder=5, edgecolor="black",
                   label=f"backprop, relu'(0) = {s} ({where})")
    ax.set_xlabel("$\\partial f / \\partial x_0$")
    ax.set_ylabel("$\\partial f / \\partial x_1$")
axes[0].legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14))
axes[1].legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14))
axes[0].set_xlim(-0.3, 1.5)
axes[0].set_ylim(-0.9, 1.0)
axes[1].set_xlim(-0.5, 3.5)
axes[1].set_ylim(-0.5, 3.0)
fig.suptitle("Clarke Jacobians in input space (gradient plane) and backprop's value")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Why does this matter?** Convergence theorems for nonsmooth training (Davis et al. 2020; Bolte &
# Pauwels 2020) are stated for Clarke subgradients. Backprop's value agrees with a Clarke
# subgradient almost everywhere, but not at every kink, and training does visit kinks (dead neurons,
# exact zeros in data, tied weights). An exact audit tells you when it happened.
#
# ## Exercises
#
# 1. Compute `∂_C ℓ(0, 1)` for the paper's loss. Why is it a single point even though `(0, 1)` lies on a
#    kink? (Hint: the gradient jump is proportional to the residual; see notebook 2.)
# 2. For the paper's loss, find all `s` in `[0, 1]` for which backprop at the origin returns the
#    minimum-norm Clarke element.
# 3. In the crafted network, replace `relu(x0) − relu(−x0)` by `2·relu(x0) − relu(−x0)`. Draw the new
#    Clarke Jacobian at the origin. Does backprop with `relu'(0) = 0` now land inside?
# 4. Find a point of `two_inputs` that lies on exactly one kink line (hint: the midpoint of a region
#    edge) and check that the Clarke Jacobian is a segment.
