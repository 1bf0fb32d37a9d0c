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
# # 4. Stability
#
# *Algorithmic stability* asks how far two training runs drift apart when their starting points (or
# data) differ a little. For a **β-smooth** loss, gradient descent is `(1 + ηβ)`-expansive, so two runs
# separate at most geometrically: `‖θ_T − θ'_T‖ ≤ (1 + ηβ)^T ‖θ_0 − θ'_0‖` (Hardt, Recht & Singer 2016).
# The paper's point is that ReLU losses are not smooth, and that this bound fails for **every** β,
# while training can still look perfectly stable.
#
# **In this notebook you will learn to**
#
# 1. run **exact gradient descent** (rational arithmetic, no rounding) and see that it looks stable
#    (claim C3),
# 2. compute the **amplification** that breaks `(1 + ηβ)^T` for every β, and have Z3 prove it (C4),
# 3. replace smoothness by a **bound G on Clarke subgradients** on a box D, and get the **additive**
#    stability bound `‖θ_T − θ'_T‖ ≤ ‖θ_0 − θ'_0‖ + 2ηTG` (C5), proved and checked on exact runs.
#
# API used: `symrelu.params` (`paper_instance`, `gradient_descent`, `subgradient_method`,
# `parse_rule`, `amplification`, `clarke_subdifferential`, `enumerate_parameter_regions`) and `symrelu.verify`
# (`gd_amplification_unbounded`, `subgradient_stability_bound`, `Verdict`) with
# `symrelu.verify.checks.stability.amplification_exact` and `skolem_epsilon`.

# %%
from fractions import Fraction as F

import matplotlib.pyplot as plt
import numpy as np

from symrelu import params, verify
from symrelu.verify import Verdict
from symrelu.verify.checks.stability import amplification_exact, skolem_epsilon

problem = params.paper_instance()  # ℓ(w1, w2) = ½ (relu(w1) + relu(w2) − 1)² on D = [−1, 1]²
grid = [F(k, 40) for k in range(-44, 45)]
G_axis = np.array([float(v) for v in grid])
loss_grid = np.array([[float(problem.loss_at((a, b))) for a in grid] for b in grid])


def sq_dist(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b))


def draw_landscape(ax):
    """Contours of the exact loss with the kink lines; floats only for drawing."""
    cs = ax.contourf(G_axis, G_axis, loss_grid, levels=20, cmap="viridis")
    ax.figure.colorbar(cs, ax=ax, label="loss ℓ(θ)")
    ax.axvline(0, color="red", linewidth=1.5, label="kinks")
    ax.axhline(0, color="red", linewidth=1.5)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_aspect("equal")


# %% [markdown]
# ## 4.1 Training looks stable (C3)
#
# Gradient descent `θ_{t+1} = θ_t − η∇ℓ(θ_t)` from `θ_0 = (ε, ε)`. Both coordinates stay equal, and
# the paper gives the closed form `w_t = ½ + (1 − 2η)^t (ε − ½)`: the iterates never touch a kink,
# and the loss shrinks by the factor `(1 − 2η)²` each step. `gradient_descent` runs in exact rationals,
# so we can check every iterate **exactly** against the closed form.

# %%
eta, T = F(1, 10), 30
runs = {eps: params.gradient_descent(problem, (eps, eps), eta, T) for eps in (F(1, 100), F(1, 10), F(2, 5))}
for eps, run in runs.items():
    for step in run.steps:
        w = F(1, 2) + (1 - 2 * eta) ** step.t * (eps - F(1, 2))
        assert step.theta == (w, w)                      # the closed form, exactly
        assert step.kink_distance_sq > 0 and not step.on_kink
        if step.t > 0:
            assert step.loss == (1 - 2 * eta) ** 2 * run.steps[step.t - 1].loss
    assert not run.touched_kink and run.crossings == ()
    print(f"ε = {str(eps):>5}: θ_{T} = ({float(run.final[0]):.6f}, …), loss {float(run.steps[-1].loss):.2e}; "
          f"θ_{T} has a {len(str(run.final[0].denominator))}-digit denominator")

# %%
fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))
draw_landscape(axes[0])
for (eps, run), color in zip(runs.items(), ["orange", "cyan", "magenta"]):
    xs = [float(s.theta[0]) for s in run.steps]
    axes[0].plot(xs, xs, "o-", markersize=3, color=color, label=f"GD from (ε, ε), ε = {eps}")
    axes[1].semilogy([s.t for s in run.steps], [float(s.loss) for s in run.steps], color=color, label=f"ε = {eps}")
    axes[2].semilogy([s.t for s in run.steps], [float(s.kink_distance_sq) ** 0.5 for s in run.steps], color=color,
                     label=f"ε = {eps}")
axes[0].set_xlim(-0.2, 0.7)
axes[0].set_ylim(-0.2, 0.7)
axes[0].set_title(f"exact GD paths, η = {eta}")
axes[0].legend(fontsize=7, loc="lower right")
axes[1].set_xlabel("step t")
axes[1].set_ylabel("loss ℓ(θ_t)")
axes[1].set_title("loss decreases by $(1-2\\eta)^2$ per step")
axes[2].set_xlabel("step t")
axes[2].set_ylabel("distance from θ_t to the nearest kink")
axes[2].set_title("the iterates never touch a kink")
for ax in axes[1:]:
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4.2 The amplification that breaks `(1 + ηβ)^T` (C4)
#
# Now start a second run at `θ'_0 = (−ε, −ε)`. Both neurons are dead there, `∇ℓ = 0`, and the run
# never moves. The first run moves off towards `(½, ½)`. After one step the two runs are
#
# $$\frac{\|\theta_1 - \theta'_1\|}{\|\theta_0 - \theta'_0\|} = (1 - \eta) + \frac{\eta}{2\varepsilon}$$
#
# times further apart than they started, which is unbounded as `ε → 0`. `params.amplification` gives
# the squared ratio from two exact runs; `verify.stability.amplification_exact` is an independent
# implementation; both agree with the formula exactly.

# %%
epsilons = [F(1, 10 ** k) for k in range(1, 7)] + [F(1, 4), F(2, 5)]
for eps in sorted(epsilons):
    a = params.gradient_descent(problem, (eps, eps), eta, 1)
    b = params.gradient_descent(problem, (-eps, -eps), eta, 1)
    formula = (1 - eta) + eta / (2 * eps)
    assert params.amplification(a, b) == formula ** 2
    assert amplification_exact(eps, eta) == formula
    assert b.final == (-eps, -eps)  # the dead run never moves
    print(f"ε = {str(eps):>9}: one-step amplification = {formula}")

# %% [markdown]
# **For every β.** Whatever smoothness constant β one claims, the choice `ε(β) = 1/(2(β + 2))` gives an
# amplification `1 + ηβ + η > 1 + ηβ`. `gd_amplification_unbounded` proves this for all β > 0 at once
# (β is a variable in the SMT formula, and ε(β) is a Skolem function); with `eta=None` the step size is
# a variable too, so the statement holds for every η in (0, ½].

# %%
c4 = verify.gd_amplification_unbounded(eta)
c4_all_eta = verify.gd_amplification_unbounded(None)
print("η = 1/10:", c4.verdict, "by", c4.solvers)
print("every η in (0, 1/2]:", c4_all_eta.verdict, "by", c4_all_eta.solvers)
print("Skolem choice:", c4.details["skolem"])
print("example:", c4.details["example"])
assert c4.verdict is Verdict.PROVED and c4_all_eta.verdict is Verdict.PROVED
for beta in (F(1), F(2), F(10), F(1000)):
    assert amplification_exact(skolem_epsilon(beta), eta) == 1 + eta * beta + eta

# %% [markdown]
# The telling choice is **β = 2**: notebook 2 showed `‖∇²ℓ‖ ≤ 2` on every region. A Hessian bound
# would give `(1 + 2η)^T`. Over many steps, exact runs exceed it by far for small ε:

# %%
T_long = 40
pairs = {}
for eps in (F(1, 100), F(1, 1000)):
    a = params.gradient_descent(problem, (eps, eps), eta, T_long)
    b = params.gradient_descent(problem, (-eps, -eps), eta, T_long)
    start = sq_dist(a.steps[0].theta, b.steps[0].theta)
    pairs[eps] = [sq_dist(sa.theta, sb.theta) / start for sa, sb in zip(a.steps, b.steps)]  # squared ratios, exact
    assert pairs[eps][1] > (1 + 2 * eta) ** 2  # already after one step

eps_grid = np.logspace(-6, -0.4, 200)
fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
axes[0].loglog(eps_grid, (1 - 0.1) + 0.1 / (2 * eps_grid), color="black", linewidth=2,
               label="one-step amplification $(1-\\eta) + \\eta/(2\\varepsilon)$")
for beta, color in [(2, "tab:blue"), (100, "tab:orange"), (10000, "tab:red")]:
    axes[0].axhline(1 + 0.1 * beta, color=color, linestyle="--", label=f"$1 + \\eta\\beta$, β = {beta}")
    e_star = float(skolem_epsilon(F(beta)))
    axes[0].scatter([e_star], [float(amplification_exact(skolem_epsilon(F(beta)), eta))], color=color, zorder=3)
axes[0].scatter([], [], color="grey", label="Skolem point ε(β) = 1/(2(β+2))")
axes[0].set_xlabel("ε (distance of both starts from the kink)")
axes[0].set_ylabel("‖θ₁ − θ'₁‖ / ‖θ₀ − θ'₀‖")
axes[0].set_title(f"C4: every β is beaten by some ε (η = {eta})")
axes[0].legend(fontsize=8)
ts = np.arange(T_long + 1)
for (eps, ratios), color in zip(pairs.items(), ["tab:purple", "tab:green"]):
    axes[1].semilogy(ts, [float(r) ** 0.5 for r in ratios], "o-", markersize=3, color=color,
                     label=f"exact runs from ±(ε, ε), ε = {eps}")
axes[1].semilogy(ts, (1 + 0.2) ** ts, color="tab:blue", linestyle="--",
                 label="classical bound $(1 + \\eta\\beta)^t$ with the Hessian bound β = 2")
axes[1].set_xlabel("step t")
axes[1].set_ylabel("‖θ_t − θ'_t‖ / ‖θ₀ − θ'₀‖")
axes[1].set_title("the smooth bound with β = 2 fails for many steps")
axes[1].legend(fontsize=8)
for ax in axes:
    ax.grid(alpha=0.3, which="both")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4.3 What restores stability: a Clarke bound on a box (C5)
#
# Instead of smoothness, bound the **Clarke subgradients**: if every `g ∈ ∂_C ℓ(θ)` has `‖g‖ ≤ G` for
# θ in a convex box D, then ℓ is G-Lipschitz on D, and any subgradient method whose iterates stay in D
# moves each run by at most `ηG` per step. Two runs then separate at most **additively**:
#
# $$\|\theta_T - \theta'_T\| \le \|\theta_0 - \theta'_0\| + 2\eta T G .$$
#
# For the paper's loss on `D = [−1, 1]²` the paper gives `G² = 2`: on region `11`, `∇ℓ = (s − 1)(1, 1)`
# with `s = w1 + w2 ∈ [0, 2]`, so `‖∇ℓ‖² = 2(s − 1)² ≤ 2`; the mixed regions give at most 1; the dead
# region 0. Since `∂_C ℓ(θ)` is the hull of the active regions' gradients, `G² = max ‖∇ℓ_R‖²` over the
# regions' closures in D.
#
# Below we compute the **exact** Clarke set at every point of a rational grid on D (kink points
# included) and take the largest squared norm of its vertices. The grid can only give a lower bound on
# `G²`; it reaches 2, at the origin (the vertex `(−1, −1)` of `∂_C ℓ(0, 0)`) and at the corner `(1, 1)`.
# The proof that nothing larger occurs anywhere in D follows the grid.

# %%
box_grid = [F(k, 10) for k in range(-10, 11)]
worst = {}  # θ -> max ‖g‖² over the vertices of ∂_C ℓ(θ), exact
for b in box_grid:
    for a in box_grid:
        clarke = params.clarke_subdifferential(problem, (a, b))
        worst[a, b] = max(sum(v * v for v in g) for g in clarke.vertices)
G2_grid = max(worst.values())
attained = sorted(p for p, v in worst.items() if v == G2_grid)
print("max over the grid of max ‖g‖², g ∈ ∂_C ℓ(θ):", G2_grid, " attained at", [tuple(map(str, p)) for p in attained])
assert G2_grid == 2
assert attained == [(F(0), F(0)), (F(1), F(1))]
assert (F(-1), F(-1)) in params.clarke_subdifferential(problem, (F(0), F(0))).vertices

# %% [markdown]
# The grid only shows that `G² ≥ 2`. `verify.clarke_bound` closes the gap: it computes the tight
# `G²` region by region (the maximum of `‖∇ℓ_R‖²` over each closed region in D) and proves with Z3 and
# cvc5 that `‖∇ℓ_R(θ)‖² ≤ G²` on every closed region, which bounds every Clarke subgradient on D.
# `verify.lipschitz_on_domain` confirms it independently of the regions, from the network itself.

# %%
c5_bound = verify.clarke_bound(problem)
c5_direct = verify.lipschitz_on_domain(problem, G_squared=c5_bound.value_squared)
print("clarke_bound:", c5_bound.verdict, " G² =", c5_bound.value_squared, "  witness:", c5_bound.witness)
print("lipschitz_on_domain:", c5_direct.verdict, "by", c5_direct.solvers)
assert c5_bound.verdict is Verdict.PROVED and c5_bound.value_squared == 2
assert c5_direct.verdict is Verdict.PROVED

# %% [markdown]
# The additive bound itself is proved by `subgradient_stability_bound`: each step moves a run by at
# most `ηG` and the distance grows by at most `2ηG` per step (an inductive step checked by Z3 and
# cvc5). With `G² = 2` (G irrational) the additive term `2ηTG` is returned as its square:

# %%
G_squared, T_sub = F(2), 30
c5 = verify.subgradient_stability_bound(G_squared=G_squared, eta=eta, T=T_sub)
print(c5.verdict, "by", c5.solvers, "  (2ηTG)² =", c5.value_squared)
assert c5.verdict is Verdict.PROVED
assert c5.value_squared == (2 * eta * T_sub) ** 2 * G_squared

# %% [markdown]
# Now the check on exact runs. Three pairs of subgradient-method runs, all staying in D: the C4 pair
# (plain GD), a pair that starts **on** the kink at the origin with backprop's `relu'(0) = 1`, and the
# same pair with the **minimum-norm** Clarke element (which keeps the origin fixed: it is Clarke
# stationary). For each step `t` we assert, in exact rationals, that the distance obeys the additive
# bound. With `G² = 2` and `‖θ_0 − θ'_0‖ = √2·c`, the bound is `√2 (c + 2ηt)`, so it can be compared
# in squares without any square root.

# %%
experiments = {
    "GD from ±(1/100, 1/100)": ((F(1, 100), F(1, 100)), (F(-1, 100), F(-1, 100)), "backprop:0"),
    "from (0,0) and (1/50,−1/50), relu'(0)=1": ((F(0), F(0)), (F(1, 50), F(-1, 50)), "backprop:1"),
    "from (0,0) and (1/50,−1/50), min-norm": ((F(0), F(0)), (F(1, 50), F(-1, 50)), "min-norm"),
}
distances = {}
for name, (start_a, start_b, rule) in experiments.items():
    ra = params.subgradient_method(problem, start_a, eta, T_sub, params.parse_rule(rule))
    rb = params.subgradient_method(problem, start_b, eta, T_sub, params.parse_rule(rule))
    assert all(-1 <= v <= 1 for s in ra.steps + rb.steps for v in s.theta)  # the iterates stay in D
    d_sq = [sq_dist(sa.theta, sb.theta) for sa, sb in zip(ra.steps, rb.steps)]
    c = F(1, 50)  # ‖θ_0 − θ'_0‖ = √2 · (1/50) for all three pairs
    assert d_sq[0] == 2 * c * c
    for t, d in enumerate(d_sq):
        assert d <= 2 * (c + 2 * eta * t) ** 2          # additive bound, exact
    distances[name] = d_sq
    print(f"{name:>42}: ‖θ_T − θ'_T‖ = {float(d_sq[-1]) ** 0.5:.4f}  ≤  bound {2 ** 0.5 * float(c + 2 * eta * T_sub):.4f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(14, 5))
ts = np.arange(T_sub + 1)
delta0 = 2 ** 0.5 / 50
axes[0].plot(ts, delta0 + 2 * 0.1 * ts * 2 ** 0.5, color="black", linewidth=2,
             label="additive bound $\\|\\theta_0-\\theta'_0\\| + 2\\eta t G$, $G = \\sqrt{2}$ (proved)")
axes[0].plot(ts, delta0 * 1.2 ** ts, color="tab:blue", linestyle="--",
             label="smooth bound $(1+\\eta\\beta)^t\\|\\theta_0-\\theta'_0\\|$, β = 2 (false here)")
for (name, d_sq), color in zip(distances.items(), ["tab:purple", "tab:orange", "tab:green"]):
    axes[0].plot(ts, [float(d) ** 0.5 for d in d_sq], "o-", markersize=3, color=color, label=name)
axes[0].set_yscale("log")
axes[0].set_ylim(0.02, 12)
axes[0].set_xlabel("step t")
axes[0].set_ylabel("‖θ_t − θ'_t‖")
axes[0].set_title(f"exact runs stay under the additive bound (η = {eta})")
axes[0].legend(fontsize=7.5, loc="lower right")
axes[0].grid(alpha=0.3, which="both")

image = np.array([[float(worst[a, b]) for a in box_grid] for b in box_grid])
im = axes[1].imshow(image, origin="lower", extent=(-1.05, 1.05, -1.05, 1.05), cmap="magma", vmin=0, vmax=2)
fig.colorbar(im, ax=axes[1], label="max ‖g‖² over g ∈ ∂_C ℓ(θ) (exact, at grid points)")
axes[1].axvline(0, color="cyan", linewidth=1, label="kinks")
axes[1].axhline(0, color="cyan", linewidth=1)
axes[1].scatter([float(p[0]) for p in attained], [float(p[1]) for p in attained], marker="*", s=250,
                color="white", edgecolor="black", zorder=3, label="G² = 2 attained")
axes[1].set_xlabel("$w_1$")
axes[1].set_ylabel("$w_2$")
axes[1].set_title("Clarke subgradient norms on D = [−1, 1]²")
axes[1].legend(fontsize=8, loc="lower left")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Summary.** The ReLU loss is not smooth in any useful sense: its Hessian is bounded where it
# exists, yet one step of gradient descent can amplify a perturbation by any factor. What does hold is
# Lipschitz continuity of the loss itself on a bounded box, certified through Clarke subgradients, and
# with it an additive (not geometric) stability bound.
#
# ## Exercises
#
# 1. Take `η = 1/2` (the largest step the paper allows). What does the closed form of 4.1 give after one
#    step? Check with `gradient_descent`.
# 2. Find the smallest `ε` of the form `1/10^k` for which the exact runs of 4.2 stay above `(1 + 2η)^t`
#    for all `t ≤ 40`.
# 3. On `D = [−2, 2]²`, what is `G²`? Redo the grid computation of 4.3 on that box (remember that the
#    squared loss is not globally Lipschitz, so `G` depends on D).
# 4. In the additive bound the factor 2 covers two runs that each move by `ηG`. Construct a pair of
#    exact runs for which the distance actually grows by close to `2ηG` in one step.
