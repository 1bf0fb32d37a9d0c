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
# # 5. Smooth surrogates
#
# A common way to dodge ReLU's kinks is to analyse a smooth stand-in: **softplus**
#
# $$\mathrm{softplus}_\beta(z) = \frac{1}{\beta}\log\bigl(1 + e^{\beta z}\bigr),$$
#
# which tends to `relu` uniformly as `β → ∞`. Then one proves smooth-optimisation bounds for the
# surrogate loss and hopes they carry over. This notebook shows, exactly and with rigorous interval
# arithmetic (never with plain floats), why they do not (the paper's claim C6):
#
# 1. **Uniform convergence:** `sup_z |softplus_β(z) − relu(z)| = log(2)/β`, attained at `z = 0`.
# 2. **Curvature blows up:** `softplus_β''` peaks at `β/4`, and the surrogate loss of the paper's
#    instance has `|∂²ℓ_β/∂w1²| → (β − 1 − log 2)/4` at `w1 = 0` as `w2 → −∞`. So its gradient-Lipschitz
#    constant is at least that, and every bound of the form `(1 + η·β_L)^T` becomes vacuous as `β → ∞`.
# 3. **Trajectories do not track:** from the dead start `(−ε, −ε)` ReLU gradient descent never moves,
#    while the surrogate's gradient descent always escapes, for every `β`.
#
# API used: `symrelu.params.paper_instance`, `Surrogate` (`.loss`, `.uniform_distance`,
# `.curvature_lower_bound`, `.run`), `gradient_descent`, and from `symrelu.params.surrogate` the
# symbolic helpers `softplus`, `check_uniform_distance`, `c6_second_derivative_limit`,
# `distance_to_path`.

# %%
from fractions import Fraction as F

import matplotlib.pyplot as plt
import mpmath
import numpy as np
import sympy
from mpmath import iv

from symrelu import params
from symrelu.params.surrogate import c6_second_derivative_limit, check_uniform_distance, distance_to_path, softplus

problem = params.paper_instance()
betas = [1, 2, 4, 8, 16]

# %% [markdown]
# ## 5.1 softplus_β approaches ReLU uniformly
#
# The gap `softplus_β(z) − relu(z)` equals `log(1 + e^{−β|z|})/β` on both sides of 0, which is largest
# at `z = 0`. `check_uniform_distance(β)` proves that identity with SymPy, and `Surrogate.uniform_distance`
# returns the exact value `log(2)/β`.

# %%
for b in betas:
    sur = params.Surrogate(problem, b)
    print(f"β = {b:>2}: sup |softplus_β − relu| = {sur.uniform_distance}  ≈ {float(sur.uniform_distance):.4f}")
    assert sur.uniform_distance == sympy.log(2) / b
    assert check_uniform_distance(F(b))

# %%
z = sympy.Symbol("z", real=True)
zs = np.linspace(-3, 3, 601)
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
axes[0].plot(zs, np.maximum(zs, 0), color="black", linewidth=2.5, label="relu(z)")
for b in betas:
    f = sympy.lambdify(z, softplus(z, sympy.Integer(b)), "numpy")
    axes[0].plot(zs, f(zs), label=f"softplus$_\\beta$, β = {b}")
    axes[1].plot(zs, f(zs) - np.maximum(zs, 0), label=f"β = {b}")
    axes[1].scatter([0], [np.log(2) / b], color="black", s=15, zorder=3)
axes[0].set_xlabel("z")
axes[0].set_ylabel("activation")
axes[0].set_title("softplus$_\\beta$ approaches relu as β grows")
axes[0].legend(fontsize=8)
axes[1].set_xlabel("z")
axes[1].set_ylabel("softplus$_\\beta$(z) − relu(z)")
axes[1].set_title("the gap peaks at z = 0 with height log(2)/β (black dots)")
axes[1].legend(fontsize=8)
for ax in axes:
    ax.grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 5.2 ...while its curvature blows up
#
# SymPy differentiates `softplus_β` twice; the result is `β / (4 cosh²(βz/2))`, with maximum `β/4` at
# `z = 0`. Uniform closeness of the functions says nothing about closeness of their derivatives.

# %%
b = sympy.Symbol("beta", positive=True)
second = sympy.diff(softplus(z, b), z, 2)
assert sympy.simplify(second.rewrite(sympy.exp) - (b / (4 * sympy.cosh(b * z / 2) ** 2)).rewrite(sympy.exp)) == 0
assert sympy.simplify(second.subs(z, 0) - b / 4) == 0
second

# %% [markdown]
# The surrogate of the paper's loss is `ℓ_β(w1, w2) = ½ (softplus_β(w1) + softplus_β(w2) − 1)²`:

# %%
params.Surrogate(problem, 8).loss

# %% [markdown]
# Its second derivative in `w1` at `w1 = 0`, as `w2 → −∞` (the second neuron is nearly dead), is
# `¼ + (log 2 − β)/4`. `c6_second_derivative_limit` computes that limit symbolically:

# %%
for beta in (2, 8, 32):
    limit = c6_second_derivative_limit(F(beta))
    print(f"β = {beta:>2}: lim ∂²ℓ_β/∂w1²(0, w2) as w2 → −∞  =  {limit}")
    assert sympy.simplify(limit - (sympy.Rational(1, 4) + (sympy.log(2) - beta) / 4)) == 0

# %% [markdown]
# That limit is a statement about `w2 → −∞`. At the concrete point `(0, −20)` the curvature is
# evaluated in **interval arithmetic** (`mpmath.iv`): `curvature_lower_bound` returns an interval that
# provably contains `max_i |∂²ℓ_β/∂θ_i²|`, so its lower end is a rigorous lower bound on the
# gradient-Lipschitz constant of `ℓ_β`.

# %%
wide_betas = [2, 4, 8, 16, 32, 64]
intervals = {beta: params.Surrogate(problem, beta).curvature_lower_bound({"w1": 0, "w2": -20}) for beta in wide_betas}
for beta, box in intervals.items():
    print(f"β = {beta:>2}: curvature at (0, −20) ≈ {mpmath.nstr(mpmath.mpf(box.mid), 15)} (enclosure width "
          f"{mpmath.nstr(mpmath.mpf(box.delta), 2)});   (β − 1 − log 2)/4 ≈ {(beta - 1 - np.log(2)) / 4:.15f}")

# %% [markdown]
# The asserts compare in interval arithmetic too: the difference between the enclosure and
# `(β − 1 − log 2)/4` (itself an interval, since `log 2` is irrational) is provably below `10⁻¹⁵`: at
# `w2 = −20` the second neuron is dead up to a term of order `e^{−20β}`.

# %%
iv.dps = 40  # the enclosures above were computed with 40 digits: compare at the same precision
for beta, box in intervals.items():
    target = (iv.mpf(beta) - 1 - iv.log(2)) / 4
    difference = box - target
    assert difference.a > -1e-15 and difference.b < 1e-15, beta
    assert box.a > (beta - 2) / 4  # so the gradient-Lipschitz constant of ℓ_β exceeds (β − 2)/4

# %% [markdown]
# The picture: the surrogate loss's curvature along the kink line `w1 = 0`, as a function of `w2`.
# For large negative `w2` it settles at `(β − 1 − log 2)/4`, which grows linearly with `β`.

# %%
w2s = np.linspace(-3, 1, 400)
w1_sym, w2_sym = params.Surrogate(problem, 1).symbols
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
for beta in (2, 4, 8, 16):
    sur = params.Surrogate(problem, beta)
    h11 = sympy.lambdify((w1_sym, w2_sym), sur.hessian[0, 0], "numpy")
    line, = axes[0].plot(w2s, h11(0.0, w2s), label=f"β = {beta}")
    axes[0].axhline(-(beta - 1 - np.log(2)) / 4, color=line.get_color(), linestyle=":", linewidth=1)
axes[0].plot([], [], color="grey", linestyle=":", label="limit $(1 + \\log 2 - \\beta)/4$")
axes[0].set_xlabel("$w_2$")
axes[0].set_ylabel("$\\partial^2 \\ell_\\beta / \\partial w_1^2$ at $w_1 = 0$")
axes[0].set_title("surrogate curvature along the kink line $w_1 = 0$")
axes[0].legend(fontsize=8, loc="lower left", bbox_to_anchor=(0.02, 0.1))
axes[1].errorbar(wide_betas, [float(iv.mid) for iv in intervals.values()], fmt="o", color="tab:red",
                 label="rigorous interval at (0, −20) (width < $10^{-30}$)")
bs = np.linspace(1, 64, 100)
axes[1].plot(bs, (bs - 1 - np.log(2)) / 4, color="black", linestyle="--", label="$(\\beta - 1 - \\log 2)/4$")
axes[1].set_xlabel("β")
axes[1].set_ylabel("lower bound on the gradient-Lipschitz constant")
axes[1].set_title("the smoothness constant of $\\ell_\\beta$ grows without bound")
axes[1].legend(fontsize=8)
for ax in axes:
    ax.grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# So a surrogate bound `‖θ_T − θ'_T‖ ≤ (1 + η·L_β)^T ‖θ_0 − θ'_0‖` has `L_β ≥ (β − 1 − log 2)/4`: the
# closer the surrogate is to ReLU, the more vacuous the bound. At `η = 1/10`, `T = 100`:

# %%
for beta in (4, 16, 64):
    L = (beta - 1 - np.log(2)) / 4
    print(f"β = {beta:>2}: (1 + ηL)^T ≥ {(1 + 0.1 * L) ** 100:.3g}")

# %% [markdown]
# ## 5.3 Surrogate and ReLU trajectories from a dead start
#
# Start both neurons dead: `θ_0 = (−ε, −ε)` with `ε = 1/10`. The ReLU loss is flat there (`∇ℓ = 0`),
# so exact gradient descent never moves. The surrogate's gradient is tiny but not zero, so its gradient
# descent (run in 60-digit `mpmath`) slowly wakes the neurons up and goes to the surrogate's minimiser
# near `(½, ½)`. As `β` grows the escape takes longer, but it always happens.

# %%
eps, eta, T = F(1, 10), F(1, 10), 200
start = (-eps, -eps)
relu_run = params.gradient_descent(problem, start, eta, T)
assert all(step.theta == start for step in relu_run.steps)  # the ReLU run never moves, exactly
assert not relu_run.touched_kink

surrogate_runs = {beta: params.Surrogate(problem, beta).run(start, eta, T) for beta in (4, 16, 64)}
escape = {}
for beta, path in surrogate_runs.items():
    escape[beta] = next(t for t, theta in enumerate(path) if theta[0] > 0)
    gap = distance_to_path(path, relu_run.final)
    print(f"β = {beta:>2}: w1 crosses 0 at step {escape[beta]:>3}; after {T} steps θ ≈ ({mpmath.nstr(path[-1][0], 6)}, "
          f"{mpmath.nstr(path[-1][1], 6)}), distance to the ReLU iterate {mpmath.nstr(gap, 6)}")
    assert gap > 0.75  # the surrogate run ends far from the ReLU run, whatever β
assert escape[4] < escape[16] < escape[64]

# %%
land = params.enumerate_parameter_regions(problem)
grid = [F(k, 80) for k in range(-24, 57)]
loss = np.array([[float(problem.loss_at((a, c))) for a in grid] for c in grid])
fig, axes = plt.subplots(1, 2, figsize=(13, 5))
G = np.array([float(v) for v in grid])
cs = axes[0].contourf(G, G, loss, levels=20, cmap="viridis")
fig.colorbar(cs, ax=axes[0], label="ReLU loss ℓ(θ)")
axes[0].axvline(0, color="red", linewidth=1.5, label="kinks $w_1 = 0$, $w_2 = 0$")
axes[0].axhline(0, color="red", linewidth=1.5)
colors = {4: "orange", 16: "cyan", 64: "magenta"}
widths = {4: 7, 16: 4, 64: 1.5}
for beta, path in surrogate_runs.items():
    axes[0].plot([float(p[0]) for p in path], [float(p[1]) for p in path], "-", linewidth=widths[beta],
                 color=colors[beta], label=f"surrogate GD, β = {beta} (ends at ●)")
    axes[0].scatter([float(path[-1][0])], [float(path[-1][1])], color=colors[beta], edgecolor="black", s=60, zorder=4)
axes[0].scatter([float(start[0])], [float(start[1])], marker="s", s=80, color="white", edgecolor="black", zorder=4,
                label="ReLU GD: stays at (−ε, −ε) for all T")
axes[0].set_xlabel("$w_1$")
axes[0].set_ylabel("$w_2$")
axes[0].set_title(f"Paths from the dead start (−1/10, −1/10), η = {eta}, T = {T}\n(all run along the diagonal $w_1 = w_2$)")
axes[0].legend(fontsize=8, loc="upper left")

ts = np.arange(T + 1)
axes[1].plot(ts, [float(s.theta[0]) for s in relu_run.steps], color="black", linewidth=2.5, label="ReLU (exact)")
for beta, path in surrogate_runs.items():
    axes[1].plot(ts, [float(p[0]) for p in path], color=colors[beta], linewidth=2, label=f"surrogate, β = {beta}")
axes[1].axhline(0, color="red", linewidth=1, linestyle="--", label="kink $w_1 = 0$")
axes[1].set_xlabel("step t")
axes[1].set_ylabel("$w_1$ (= $w_2$ on these paths)")
axes[1].set_title("Side by side: the surrogate escapes, ReLU never does")
axes[1].legend(fontsize=8, loc="center right")
for ax in axes:
    ax.grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# **Moral.** As functions, `ℓ_β → ℓ` uniformly. As *dynamical systems*, gradient descent on `ℓ_β` does
# not approach gradient descent on `ℓ`: the limit of surrogate trajectories is not the ReLU trajectory.
# Stability statements must be made about the nonsmooth loss itself (notebook 4).
#
# ## Exercises
#
# 1. For which `β` does the surrogate's minimiser on the diagonal `w1 = w2 = w` satisfy `w > 0.49`? Solve
#    `2·softplus_β(w) = 1` with SymPy.
# 2. Repeat 5.3 with `ε = 1/100`. How do the escape steps change with `β`? Predict first, using
#    `softplus_β'(−ε) = 1/(1 + e^{βε})`.
# 3. Compute `curvature_lower_bound` at `(0, −2)` instead of `(0, −20)`. Is the bound still close to
#    `(β − 1 − log 2)/4`? Why does the limit `w2 → −∞` matter?
# 4. Use the absolute loss instead of the squared loss (write a problem with `"loss": "absolute"`) and
#    look at what `Surrogate` keeps nonsmooth.
