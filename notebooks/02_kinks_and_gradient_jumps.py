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
# # 2. Kinks and gradient jumps
#
# Now we look at a ReLU network as a function of its **weights** θ, through the training loss ℓ(θ).
# The paper's smallest example has two neurons and one data point:
#
# $$\ell(w_1, w_2) = \tfrac12\bigl(\mathrm{relu}(w_1) + \mathrm{relu}(w_2) - 1\bigr)^2 .$$
#
# In parameter space ℓ is piecewise **polynomial**; its pieces meet along **kinks** (here the axes),
# and across a kink the gradient can **jump**. A jump, however small the step that crosses it,
# rules out any finite Lipschitz constant for ∇ℓ, even though every piece has a bounded Hessian.
#
# **In this notebook you will learn to**
#
# 1. enumerate the loss's **regions** and read each region's selection polynomial, gradient and Hessian,
# 2. draw the **surface, contours, kink lines and gradient field**,
# 3. compute the **jump across a kink exactly**, and see that it is proportional to the residual,
# 4. have **Z3 prove** that no finite gradient-Lipschitz constant exists (claim C1), next to the
#    finite **Hessian bound** (claim C2).
#
# API used: `symrelu.params` (`paper_instance`, `enumerate_parameter_regions`, `find_kinks`,
# `dangerous_kinks`, `gradient_jump`) and `symrelu.verify` (`no_global_gradient_lipschitz_at_kink`,
# `no_global_gradient_lipschitz_instance`, `no_global_gradient_lipschitz_family`, `Verdict`).

# %%
from fractions import Fraction as F

import matplotlib.pyplot as plt
import numpy as np
import sympy

from symrelu import params, verify
from symrelu.verify import Verdict

sympy.init_printing()

# %% [markdown]
# ## 2.1 Regions of the loss in parameter space
#
# `paper_instance()` is the problem above on the domain `[−1, 1]²`. `enumerate_parameter_regions` finds every
# sign pattern of the two pre-activations `w1·x` and `w2·x` (with `x = 1`) that occurs, with an exact
# interior point. The pattern `10` means: neuron 1 active, neuron 2 inactive.

# %%
problem = params.paper_instance()
land = params.enumerate_parameter_regions(problem)
w1, w2 = land.parameters
for r in land.regions:
    print(f"region {r.pattern}: interior point {tuple(map(str, r.interior_point))},  ℓ = {r.sympy_loss}")

# %%
assert [r.pattern for r in land.regions] == ["00", "01", "10", "11"]
assert land.method == "polyhedral"  # the kinks are hyperplanes: exact linear arithmetic suffices

# %% [markdown]
# On each open region ℓ is a polynomial, so its gradient and Hessian exist there. Claim C2: the
# Hessians are the constant matrices below.

# %%
hessians = {r.pattern: r.sympy_hessian for r in land.regions}
hessians

# %%
assert hessians["11"] == sympy.Matrix([[1, 1], [1, 1]])
assert hessians["10"] == sympy.Matrix([[1, 0], [0, 0]])
assert hessians["01"] == sympy.Matrix([[0, 0], [0, 1]])
assert hessians["00"] == sympy.zeros(2, 2)
for r in land.regions:
    print(f"region {r.pattern}: ∇ℓ = {list(r.sympy_gradient)}")

# %% [markdown]
# ## 2.2 The picture: surface, contours, kinks and the gradient field
#
# The loss values are exact (`problem.loss_at` at rational grid points); the gradient arrows come from
# each region's own gradient polynomial, evaluated at grid points that avoid the kinks. The kink lines
# are the kinks that `find_kinks` reports, each with the region patterns on its two sides.

# %%
kinks = params.find_kinks(land)
for k in kinks:
    surface = k.surface[0].to_sympy(land.parameters)
    jump = [j.to_sympy(land.parameters) for j in k.jump]
    print(f"kink between {k.below} and {k.above}: surface {surface} = 0,  jump ∇ℓ_above − ∇ℓ_below = {jump},"
          f"  dangerous: {k.dangerous}")
assert len(params.dangerous_kinks(kinks)) == 4

# %%
grid = [F(k, 20) for k in range(-20, 21)]
G = np.array([float(v) for v in grid])
L = np.array([[float(problem.loss_at((a, b))) for a in grid] for b in grid])

arrows = [F(2 * k + 1, 10) for k in range(-5, 5)]  # ±1/10, ±3/10, ...: never on a kink
quiver = []
for a in arrows:
    for b in arrows:
        region = next(r for r in land.regions if r.contains((a, b)))
        quiver.append((float(a), float(b), *(-float(g((a, b))) for g in region.gradient)))
quiver = np.array(quiver)

fig = plt.figure(figsize=(14, 5.8))
ax3 = fig.add_subplot(1, 2, 1, projection="3d")
X, Y = np.meshgrid(G, G)
ax3.plot_surface(X, Y, L, cmap="viridis", edgecolor="none", alpha=0.9)
ax3.plot(np.zeros_like(G), G, [float(problem.loss_at((F(0), b))) for b in grid], color="red", linewidth=2.5,
         label="kinks $w_1 = 0$ and $w_2 = 0$")
ax3.plot(G, np.zeros_like(G), [float(problem.loss_at((a, F(0)))) for a in grid], color="red", linewidth=2.5)
ax3.set_xlabel("$w_1$")
ax3.set_ylabel("$w_2$")
ax3.set_zlabel("ℓ(w)")
ax3.view_init(elev=35, azim=-60)
ax3.set_title("surface of ℓ: flat where both neurons are dead")
ax3.legend(loc="upper left", fontsize=8)

ax = fig.add_subplot(1, 2, 2)
cs = ax.contourf(G, G, L, levels=20, cmap="viridis")
fig.colorbar(cs, ax=ax, label="loss ℓ(w)")
ax.contour(G, G, L, levels=[0.02, 0.1, 0.3], colors="white", linewidths=0.6)
ax.axvline(0, color="red", linewidth=2.5, label="kinks (gradient jumps across them)")
ax.axhline(0, color="red", linewidth=2.5)
ax.quiver(quiver[:, 0], quiver[:, 1], quiver[:, 2], quiver[:, 3], color="white", angles="xy", scale_units="xy",
          scale=4, width=0.004, label="−∇ℓ (descent direction)")
ax.plot([0, 1], [1, 0], color="black", linestyle="--", linewidth=1.5, label="minimisers: $w_1 + w_2 = 1$, $w_1, w_2 \\geq 0$")
for r in land.regions:
    p = r.interior_point
    ax.text(float(p[0]) * 1.6, float(p[1]) * 1.6 + 0.08, f"region {r.pattern}", ha="center", fontsize=9,
            bbox=dict(facecolor="white", alpha=0.7, linewidth=0))
ax.set_xlim(-1, 1)
ax.set_ylim(-1, 1)
ax.set_aspect("equal")
ax.set_xlabel("$w_1$")
ax.set_ylabel("$w_2$")
ax.set_title("contours, kinks and the gradient field")
ax.legend(loc="lower left", fontsize=8, facecolor="lightgrey", framealpha=0.95)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 2.3 The jump across a kink, exactly
#
# `gradient_jump(land, kink, θ)` evaluates `∇ℓ_above(θ) − ∇ℓ_below(θ)` at a point θ of the kink. Take
# the kink `w1 = 0`. Below it (in `w2 < 0`) the regions are `00` and `10`; above it (`w2 > 0`), `01`
# and `11`.

# %%
by_sides = {(k.below, k.above): k for k in kinks}
dead_side = by_sides["00", "10"]   # w1 = 0 with w2 < 0
live_side = by_sides["01", "11"]   # w1 = 0 with w2 > 0
print("jump at (0, −1/2):", params.gradient_jump(land, dead_side, (F(0), F(-1, 2))))
print("jump at (0,  1/2):", params.gradient_jump(land, live_side, (F(0), F(1, 2))))
print("jump at (0,    1):", params.gradient_jump(land, live_side, (F(0), F(1))))

# %%
assert params.gradient_jump(land, dead_side, (F(0), F(-1, 2))) == (-1, 0)
assert params.gradient_jump(land, live_side, (F(0), F(1, 2))) == (F(-1, 2), 0)
assert params.gradient_jump(land, live_side, (F(0), F(1))) == (0, 0)  # no jump where the residual vanishes

# %% [markdown]
# **The jump is proportional to the residual.** The family form of claim C1 says: across neuron j's kink
# at a data point `x` (bias not trainable), the gradient jumps by `(1/n)·|a_j · r|·‖x‖`, where
# `r = f(x; θ*) − y` is the residual at the kink point. Here `n = 1`, `a_j = 1`, `x = 1`, so
# `‖jump‖ = |r|`. We check it at many rational points along `w1 = 0`, computing `r` by evaluating the
# concrete network:

# %%
(x, y), = problem.data
w2_values = [F(k, 8) for k in range(-8, 9) if k != 0]
jump_norms, residuals = [], []
for v in w2_values:
    kink = dead_side if v < 0 else live_side
    jump = params.gradient_jump(land, kink, (F(0), v))
    r = problem.concrete((F(0), v)).evaluate(x)[0] - y[0]
    assert sum(j * j for j in jump) == r * r  # ‖jump‖² = r², exactly
    jump_norms.append(abs(jump[0]))
    residuals.append(r)

# %%
fig, ax = plt.subplots(figsize=(7.5, 4))
ax.plot([float(v) for v in w2_values], [float(j) for j in jump_norms], "o", color="tab:red", markersize=7,
        label="‖∇ℓ(0⁺, w₂) − ∇ℓ(0⁻, w₂)‖ (exact, gradient_jump)")
ax.plot([float(v) for v in w2_values], [float(abs(r)) for r in residuals], color="black", linewidth=1,
        label="|residual r| = |relu(w₂) − 1| at the kink point")
ax.set_xlabel("$w_2$ (position along the kink $w_1 = 0$)")
ax.set_ylabel("size of the gradient jump")
ax.set_title("The jump across the kink $w_1 = 0$ equals the residual; it vanishes only at $w_2 = 1$")
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 2.4 No finite gradient-Lipschitz constant (C1), proved by Z3
#
# Take the kink point θ* = (0, −1/2) that `find_kinks` gave as its witness, and the pair
# `θ± = θ* ± t·(1, 0)`. Then `‖∇ℓ(θ₊) − ∇ℓ(θ₋)‖ = 1 − t` while `‖θ₊ − θ₋‖ = 2t`. Choosing the
# **Skolem function** `t(L) = 1/(4(L + 1))` makes the ratio `(1 − t)/(2t)` exceed `L`, for every `L`.
#
# First a few exact instances of the family, with the gradients of the regions that contain θ±:

# %%
theta_star = dead_side.witness
assert theta_star == (0, F(-1, 2))
print("kink point θ* =", tuple(map(str, theta_star)), " jump there:", dead_side.jump_at_witness)


def gradient_at(theta):
    region = next(r for r in land.regions if r.contains(theta))
    return tuple(g(theta) for g in region.gradient)


Ls = [F(10) ** k for k in range(-1, 7)]
ratios_sq = []
for Lk in Ls:
    t = 1 / (4 * (Lk + 1))
    plus, minus = (theta_star[0] + t, theta_star[1]), (theta_star[0] - t, theta_star[1])
    change = sum((a - b) ** 2 for a, b in zip(gradient_at(plus), gradient_at(minus)))
    ratio_sq = change / sum((a - b) ** 2 for a, b in zip(plus, minus))
    assert ratio_sq > Lk * Lk  # the pair violates L-Lipschitzness, exactly
    ratios_sq.append(ratio_sq)
    print(f"L = {str(Lk):>8}: t = {str(t):>12},  ‖Δ∇ℓ‖/‖Δθ‖ = {float(ratio_sq) ** 0.5:12.2f} > L")

# %% [markdown]
# Finitely many `L` prove nothing about all of them. `no_global_gradient_lipschitz_at_kink` states the
# whole family as one formula, "there is an `L > 0` for which the Skolem pair does **not** violate",
# and asks Z3 (and cvc5, when installed, for a second opinion) to show it is unsatisfiable. A second
# obligation shows that θ± lie inside their regions for every `L`, so the region polynomials really are
# the gradients there. We pass the kink data straight from `find_kinks` and the landscape:

# %%
above, below = land.region(dead_side.above), land.region(dead_side.below)
c1 = verify.no_global_gradient_lipschitz_at_kink(
    theta_star, (1, 0), list(above.sympy_gradient), list(below.sympy_gradient), land.parameters,
    region_plus=(w1 > 0, w2 < 0), region_minus=(w1 < 0, w2 < 0),
    jump=dead_side.jump_at_witness, subject="paper instance",
)
print(c1.verdict, "by", c1.solvers)
print("Skolem function:", c1.details["skolem"], "  jump:", c1.details["jump"])

# %%
assert c1.verdict is Verdict.PROVED
assert c1.details["jump"] == (-1, 0)

# %% [markdown]
# Every obligation is a standalone SMT-LIB 2.6 file that any solver can re-check. This is the one
# that carries the claim (the formula must be unsat):

# %%
print(c1.obligations[0].obligation.to_smtlib())

# %% [markdown]
# The package also has the paper's own witness `θ = (t, −1)`, `θ' = (−t, −1)`, and the **family form**
# where weights and data are symbols: for any one-hidden-layer network, any neuron with `a_j ≠ 0` and
# any data point with non-zero residual at the kink, the jump is `(1/n)|a_j r|‖(x, 1)‖ > 0`.

# %%
paper = verify.no_global_gradient_lipschitz_instance()
family = verify.no_global_gradient_lipschitz_family()
print("paper instance:", paper.verdict, "  family form:", family.verdict)
print("family jump:", family.details["jump_squared_norm"])
assert paper.verdict is Verdict.PROVED and family.verdict is Verdict.PROVED

# %% [markdown]
# ## 2.5 ...next to a finite Hessian bound (C2)
#
# On every open region the Hessian is one of the constant matrices above; its spectral norm is at
# most 2 (attained on region `11`, eigenvalues 0 and 2). So `sup ‖∇²ℓ‖ = 2` over all points where ℓ is
# twice differentiable, and yet no `L` bounds the variation of ∇ℓ. The mean value theorem, which
# would turn a Hessian bound into a Lipschitz bound, fails on segments that cross a kink.

# %%
spectral = {p: max(abs(e) for e in H.eigenvals()) for p, H in hessians.items()}
print("spectral norm of the Hessian per region:", spectral)
assert max(spectral.values()) == 2

# %% [markdown]
# `verify.hessian_bound` proves the same bound region by region with Z3 and cvc5
# (`‖H v‖² ≤ λ² ‖v‖²` for every `v`), and reports the square of the largest spectral norm:

# %%
c2 = verify.hessian_bound(problem)
print("hessian_bound:", c2.verdict, "by", c2.solvers, "  max ‖∇²ℓ‖² =", c2.value_squared)
assert c2.verdict is Verdict.PROVED and c2.value_squared == 4

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
axes[0].bar(list(spectral), [float(v) for v in spectral.values()], color="tab:blue",
            label="‖∇²ℓ‖ on the region (exact)")
for i, v in enumerate(spectral.values()):
    axes[0].text(i, float(v) + 0.05, f"‖∇²ℓ‖ = {v}", ha="center", fontsize=9)
axes[0].axhline(2, color="black", linestyle="--", label="sup over differentiable points = 2")
axes[0].set_xlabel("region (activation pattern)")
axes[0].set_ylabel("spectral norm of the Hessian")
axes[0].set_ylim(0, 2.6)
axes[0].set_title("C2: the Hessian is bounded on every region")
axes[0].legend(fontsize=8, loc="upper left")
axes[1].loglog([float(v) for v in Ls], [float(r) ** 0.5 for r in ratios_sq], "o-", color="tab:red",
               label="‖∇ℓ(θ₊) − ∇ℓ(θ₋)‖ / ‖θ₊ − θ₋‖ with t = 1/(4(L+1))")
axes[1].loglog([float(v) for v in Ls], [float(v) for v in Ls], color="black", linestyle="--", label="L")
axes[1].axhline(2, color="tab:blue", linestyle=":", label="Hessian bound 2")
axes[1].set_xlabel("candidate Lipschitz constant L")
axes[1].set_ylabel("gradient difference quotient")
axes[1].set_title("C1: the pair across the kink beats every L")
axes[1].legend(fontsize=8)
for ax in axes:
    ax.grid(alpha=0.3, which="both")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Exercises
#
# 1. Repeat 2.4 at the kink point `(0, 1/2)`, on the other side of the origin (regions `01` and `11`).
#    What is the jump? Does Z3 still prove the claim? What happens at `(0, 1)`?
# 2. Build your own problem with two data points, e.g. `x = 1, y = 1` and `x = −1, y = 0`, using
#    `params.Problem(network, data, "squared", domain)`. How many regions and dangerous kinks does it have?
# 3. With a trainable bias, the family form says the jump is `(1/n)|a_j r|·‖(x, 1)‖`. Check this on
#    `params.two_layer_instance()`'s first-layer kinks (use `gradient_jump` at a kink witness).
# 4. Along `w1 = 0` with `w2 < 0` the loss is ½ on both sides, yet the gradient jumps by `(−1, 0)`.
#    Explain in words which neuron wakes up when `w1` crosses 0, and what residual it sees.
