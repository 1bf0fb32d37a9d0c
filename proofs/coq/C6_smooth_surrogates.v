(** * C6: smooth surrogates mislead.

    [sp b z = ln (1 + e^{b z}) / b] (softplus with sharpness [b > 0]).
    (a) [0 < sp b z - relu z <= ln 2 / b] for every [z], with equality at 0:
        the surrogate converges to ReLU uniformly as [b -> oo].
    (b) [sp b'' z = b / (4 cosh^2 (b z / 2)) <= b / 4]; for the surrogate loss
        [lb b w1 w2 = 1/2 (sp b w1 + sp b w2 - 1)^2] (gradient [sgrad], proved
        with [is_derive]),
        [d^2 lb / dw1^2 (0, w2) -> (1 + ln 2 - b) / 4] as [w2 -> -oo], and
        every gradient-Lipschitz constant [L] of [lb b] satisfies
        [L >= (b - 1 - ln 2) / 4]: no bound survives [b -> oo].
    (c) From the dead start [(-eps, -eps)] the surrogate gradient is non-zero
        ([b >= 2]), so the surrogate's GD moves, while the ReLU run never does.
    [ln 2 < 1] is elementary ([1 + 1 < e]); [interval] supplies a rigorous
    enclosure at [b = 8] ([c6_enclosure_b8], the only use of floating point:
    Interval's computations run on Coq's primitive integers and floats). *)

(** Not machine-checked:
    - [c6_interval_enclosure] trusts the specification axioms of Coq's primitive integers and floats, on which the Interval tactic computes; the other C6 results do not use them
    - 'every smooth-surrogate bound (1 + eta L_b)^T becomes vacuous' is read as: every gradient-Lipschitz constant L_b of the surrogate loss is at least (b - 1 - ln 2)/4, which tends to infinity (proved); the step from there to 'vacuous' is an interpretation *)

From Coquelicot Require Import Coquelicot.
From Interval Require Import Tactic.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib.
Open Scope R_scope.

Definition sp (b z : R) : R := ln (1 + exp (b * z)) / b.
Definition sig (b z : R) : R := exp (b * z) / (1 + exp (b * z)).
Definition spp (b z : R) : R := b * exp (b * z) / (1 + exp (b * z)) ^ 2.


Lemma ln_le' x y : 0 < x -> x <= y -> ln x <= ln y.
Proof. intros Hx [Hxy | ->]; [left; apply ln_increasing; auto | right; reflexivity]. Qed.

Lemma ln_pos' x : 1 < x -> 0 < ln x.
Proof. intros Hx. rewrite <- ln_1. apply ln_increasing; lra. Qed.

Lemma ln_1p_lt x : 0 < x -> ln (1 + x) < x.
Proof.
  intros Hx. rewrite <- (ln_exp x) at 2. apply ln_increasing; [lra | apply exp_ineq1; lra].
Qed.

(** Elementary bounds on [ln 2] (no floating point): [1 + 1 < e]. *)
Lemma ln2_lt_1 : ln 2 < 1.
Proof.
  assert (E : ln (exp 1) = 1) by apply ln_exp. rewrite <- E. apply ln_increasing; [lra |].
  pose proof (exp_ineq1 1 ltac:(lra)). lra.
Qed.

Lemma ln2_pos : 0 < ln 2.
Proof. apply ln_pos'; lra. Qed.

Lemma one_plus_exp_pos u : 0 < 1 + exp u.
Proof. pose proof (exp_pos u); lra. Qed.

(** ** (a) Uniform distance [ln 2 / b], attained at 0 *)

Lemma c6_uniform_distance b z :
  0 < b -> 0 < sp b z - relu z <= ln 2 / b /\ sp b 0 - relu 0 = ln 2 / b.
Proof.
  intros Hb. split.
  - destruct (Rle_or_lt 0 z) as [Hz | Hz].
    + rewrite relu_pos by lra.
      assert (E : ln (1 + exp (b * z)) = b * z + ln (exp (- (b * z)) + 1)).
      { rewrite <- (ln_exp (b * z)) at 2. rewrite <- ln_mult by (apply exp_pos || (pose proof (exp_pos (- (b * z))); lra)).
        f_equal. rewrite Rmult_plus_distr_l, <- exp_plus. replace (b * z + - (b * z)) with 0 by ring. rewrite exp_0. ring. }
      assert (H1 : exp (- (b * z)) <= 1) by (rewrite <- exp_0; destruct (Req_dec (b * z) 0) as [E0 | E0];
        [rewrite E0, Ropp_0; lra | left; apply exp_increasing; nra]).
      pose proof (exp_pos (- (b * z))).
      assert (L1 : 0 < ln (exp (- (b * z)) + 1)) by (apply ln_pos'; lra).
      assert (L2 : ln (exp (- (b * z)) + 1) <= ln 2) by (apply ln_le'; lra).
      unfold sp. rewrite E. replace ((b * z + ln (exp (- (b * z)) + 1)) / b - z) with (ln (exp (- (b * z)) + 1) / b)
        by (field; lra).
      split; [apply Rdiv_lt_0_compat; lra | apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra | exact L2]].
    + rewrite relu_neg by lra. rewrite Rminus_0_r.
      assert (H1 : exp (b * z) < 1) by (rewrite <- exp_0; apply exp_increasing; nra).
      pose proof (exp_pos (b * z)).
      assert (L1 : 0 < ln (1 + exp (b * z))) by (apply ln_pos'; lra).
      assert (L2 : ln (1 + exp (b * z)) <= ln 2) by (apply ln_le'; lra).
      unfold sp. split; [apply Rdiv_lt_0_compat; lra | apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra | exact L2]].
  - unfold sp. rewrite relu_pos by lra. rewrite Rmult_0_r, exp_0. replace (1 + 1) with 2 by ring. ring.
Qed.

Lemma c6_uniform_convergence eps :
  0 < eps -> exists b0, 0 < b0 /\ forall b z, b0 < b -> Rabs (sp b z - relu z) < eps.
Proof.
  intros He. exists (ln 2 / eps). split; [apply Rdiv_lt_0_compat; [apply ln2_pos | exact He] |].
  intros b z Hb. assert (Hb0 : 0 < b) by (pose proof (Rdiv_lt_0_compat _ _ ln2_pos He); lra).
  destruct (c6_uniform_distance b z Hb0) as [[A B] _]. rewrite Rabs_pos_eq by lra.
  eapply Rle_lt_trans; [exact B |]. apply (Rmult_lt_reg_r b); [lra |].
  unfold Rdiv. rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra.
  apply (Rmult_lt_reg_r (/ eps)); [apply Rinv_0_lt_compat; lra |].
  replace (eps * b * / eps) with b by (field; lra). exact Hb.
Qed.

(** ** (b) Curvature *)

Lemma is_derive_sp b z : 0 < b -> is_derive (sp b) z (sig b z).
Proof.
  intros Hb. unfold sp, sig. pose proof (one_plus_exp_pos (b * z)). auto_derive; [lra |]. field; repeat split; lra.
Qed.

Lemma is_derive_sig b z : is_derive (sig b) z (spp b z).
Proof.
  unfold sig, spp. auto_derive; [pose proof (one_plus_exp_pos (b * z)); lra |].
  pose proof (one_plus_exp_pos (b * z)). field. lra.
Qed.

Lemma c6_softplus_curvature b z :
  0 < b -> is_derive (sp b) z (sig b z) /\ is_derive (sig b) z (spp b z) /\
  spp b z = b / (4 * cosh (b * z / 2) ^ 2) /\ spp b z <= b / 4.
Proof.
  intros Hb. split; [apply is_derive_sp, Hb | split; [apply is_derive_sig |]].
  set (u := exp (b * z / 2)). assert (Hu : 0 < u) by apply exp_pos.
  assert (E : exp (b * z) = u * u) by (unfold u; rewrite <- exp_plus; f_equal; field).
  unfold spp. rewrite E. split.
  - unfold cosh. fold u. rewrite exp_Ropp. fold u. field. split; [lra | nra].
  - apply (Rmult_le_reg_r ((1 + u * u) ^ 2)); [nra |]. unfold Rdiv. rewrite Rmult_assoc, Rinv_l by nra.
    pose proof (pow2_ge_0 (1 - u * u)). nra.
Qed.

Definition lb (b w1 w2 : R) : R := / 2 * (sp b w1 + sp b w2 - 1) ^ 2.
Definition d1 (b w1 w2 : R) : R := (sp b w1 + sp b w2 - 1) * sig b w1.
Definition sgrad (b : R) (th : R * R) : R * R := (d1 b (fst th) (snd th), d1 b (snd th) (fst th)).
Definition d11 (b w1 w2 : R) : R := sig b w1 ^ 2 + (sp b w1 + sp b w2 - 1) * spp b w1.

Theorem sgrad_is_gradient b th : 0 < b -> is_grad (lb b) th (sgrad b th).
Proof.
  intros Hb. destruct th as [w1 w2]. unfold is_grad, sgrad, lb, d1, sp, sig; cbn [fst snd].
  pose proof (one_plus_exp_pos (b * w1)). pose proof (one_plus_exp_pos (b * w2)).
  split; auto_derive; try lra; field; lra.
Qed.

Lemma is_derive_d1 b w1 w2 : 0 < b -> is_derive (fun x => d1 b x w2) w1 (d11 b w1 w2).
Proof.
  intros Hb. unfold d1, d11, sp, sig, spp.
  pose proof (one_plus_exp_pos (b * w1)). pose proof (one_plus_exp_pos (b * w2)).
  auto_derive; [repeat split; lra |]. field. lra.
Qed.

Lemma d11_at_0 b w2 : 0 < b -> d11 b 0 w2 = (1 + ln 2 - b) / 4 + ln (1 + exp (b * w2)) / 4.
Proof.
  intros Hb. unfold d11, sig, spp, sp. rewrite Rmult_0_r, exp_0. replace (1 + 1) with 2 by ring. field. lra.
Qed.

Lemma c6_curvature_limit b :
  0 < b -> is_lim (fun w2 => d11 b 0 w2) m_infty ((1 + ln 2 - b) / 4).
Proof.
  intros Hb. apply is_lim_spec. intros eps. exists (ln eps / b). intros y Hy.
  rewrite d11_at_0 by exact Hb.
  replace ((1 + ln 2 - b) / 4 + ln (1 + exp (b * y)) / 4 - (1 + ln 2 - b) / 4) with (ln (1 + exp (b * y)) / 4) by ring.
  pose proof (exp_pos (b * y)) as P.
  assert (L1 : 0 < ln (1 + exp (b * y))) by (apply ln_pos'; lra).
  assert (L2 : ln (1 + exp (b * y)) < exp (b * y)) by (apply ln_1p_lt, P).
  assert (L3 : exp (b * y) < eps).
  { rewrite <- (exp_ln eps) by apply cond_pos. apply exp_increasing.
    apply (Rmult_lt_compat_l b) in Hy; [| exact Hb]. replace (b * (ln eps / b)) with (ln eps) in Hy by (field; lra). exact Hy. }
  rewrite Rabs_pos_eq by lra. lra.
Qed.

Definition grad_lipschitz (F : R * R -> R * R) (L : R) : Prop :=
  forall th th', enorm (vsub (F th) (F th')) <= L * enorm (vsub th th').

(** A derivative is bounded by any Lipschitz constant of the function. *)
Lemma deriv_le_lip (f : R -> R) x D L :
  is_derive f x D -> (forall y, Rabs (f y - f x) <= L * Rabs (y - x)) -> Rabs D <= L.
Proof.
  intros HD Hl. apply is_derive_Reals in HD.
  destruct (Rle_or_lt (Rabs D) L) as [| HLt]; [assumption | exfalso].
  destruct (HD (Rabs D - L) ltac:(lra)) as [delta Hdel].
  set (h := delta / 2). assert (Hh : 0 < h) by (unfold h; pose proof (cond_pos delta); lra).
  specialize (Hdel h ltac:(lra) ltac:(rewrite Rabs_pos_eq by lra; unfold h; pose proof (cond_pos delta); lra)).
  specialize (Hl (x + h)). replace (x + h - x) with h in Hl by ring. rewrite (Rabs_pos_eq h) in Hl by lra.
  assert (Q : Rabs ((f (x + h) - f x) / h) <= L).
  { unfold Rdiv. rewrite Rabs_mult, Rabs_inv, (Rabs_pos_eq h) by lra.
    apply (Rmult_le_reg_r h); [lra |]. rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. exact Hl. }
  pose proof (Rabs_triang_inv D ((f (x + h) - f x) / h)) as T.
  rewrite <- Rabs_Ropp in Hdel. replace (- ((f (x + h) - f x) / h - D)) with (D - (f (x + h) - f x) / h) in Hdel by ring.
  lra.
Qed.

(** Every gradient-Lipschitz constant of the surrogate loss is at least [(b - 1 - ln 2) / 4]. *)
Lemma c6_lipschitz_lower_bound b L :
  0 < b -> grad_lipschitz (sgrad b) L -> (b - 1 - ln 2) / 4 <= L.
Proof.
  intros Hb Hl.
  assert (Each : forall w2, Rabs (d11 b 0 w2) <= L).
  { intros w2. apply (deriv_le_lip (fun x => d1 b x w2) 0); [apply is_derive_d1, Hb |].
    intros y. specialize (Hl (y, w2) (0, w2)). unfold vsub in Hl; cbn [fst snd] in Hl.
    replace (w2 - w2) with 0 in Hl by ring. rewrite enorm_x0 in Hl.
    eapply Rle_trans; [| exact Hl]. apply (enorm_ge_fst (_, _)). }
  destruct (Rle_or_lt ((b - 1 - ln 2) / 4) L) as [| HLt]; [assumption | exfalso].
  set (delta := (b - 1 - ln 2) / 4 - L). assert (Hd : 0 < delta) by (unfold delta; lra).
  set (w2 := ln (2 * delta) / b).
  assert (Ew : exp (b * w2) = 2 * delta) by (unfold w2; replace (b * (ln (2 * delta) / b)) with (ln (2 * delta)) by (field; lra);
    apply exp_ln; lra).
  specialize (Each w2). rewrite d11_at_0, Ew in Each by exact Hb.
  pose proof (ln_1p_lt (2 * delta) ltac:(lra)). pose proof (Rle_abs (- ((1 + ln 2 - b) / 4 + ln (1 + 2 * delta) / 4))).
  rewrite Rabs_Ropp in *. unfold delta in *. lra.
Qed.

Lemma c6_no_uniform_smoothness (M : R) :
  exists b, 0 < b /\ forall L, grad_lipschitz (sgrad b) L -> M < L.
Proof.
  exists (4 * Rabs M + 3). pose proof (Rabs_pos M). pose proof (Rle_abs M). pose proof ln2_lt_1.
  split; [lra |]. intros L Hl. pose proof (c6_lipschitz_lower_bound (4 * Rabs M + 3) L ltac:(lra) Hl). lra.
Qed.

(** A rigorous enclosure with [interval]: at [b = 8], [d^2 lb / dw1^2 (0, -10)] is about [-1.5767]. *)
Lemma c6_enclosure_b8 : -1.577 <= d11 8 0 (-10) <= -1.576.
Proof.
  rewrite d11_at_0 by lra.
  assert (L2 : 0.6931 <= ln 2 <= 0.6932) by (split; interval).
  assert (E : exp (8 * -10) <= 1 / 1000) by interval.
  pose proof (exp_pos (8 * -10)) as P.
  assert (0 < ln (1 + exp (8 * -10))) by (apply ln_pos'; lra).
  pose proof (ln_1p_lt (exp (8 * -10)) P). lra.
Qed.

(** ** (c) The dead start moves under the surrogate, not under ReLU *)

Definition sgd_step (b eta : R) (th : R * R) : R * R :=
  (fst th - eta * fst (sgrad b th), snd th - eta * snd (sgrad b th)).

Lemma c6_dead_start b eps eta :
  2 <= b -> 0 < eps -> 0 < eta ->
  fst (sgrad b (- eps, - eps)) < 0 /\ snd (sgrad b (- eps, - eps)) < 0 /\
  - eps < fst (sgd_step b eta (- eps, - eps)) /\ - eps < snd (sgd_step b eta (- eps, - eps)) /\
  (forall t, gd eta (- eps, - eps) t = (- eps, - eps)).
Proof.
  intros Hb He Hn.
  assert (N : d1 b (- eps) (- eps) < 0).
  { unfold d1, sig, sp. set (e := exp (b * - eps)). assert (Pe : 0 < e) by apply exp_pos.
    assert (e < 1) by (unfold e; rewrite <- exp_0; apply exp_increasing; nra).
    assert (L2 : ln (1 + e) <= ln 2) by (apply ln_le'; lra). pose proof ln2_lt_1.
    assert (Q : ln (1 + e) / b < / 2).
    { apply (Rmult_lt_reg_r b); [lra |]. unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra. }
    assert (S : 0 < e / (1 + e)) by (apply Rdiv_lt_0_compat; lra). nra. }
  unfold sgd_step, sgrad; cbn [fst snd].
  split; [exact N | split; [exact N | split; [nra | split; [nra | apply dead_run; exact He]]]].
Qed.

(** ** The claim, in one statement *)

Theorem c6_smooth_surrogates_mislead :
  (forall b z, 0 < b -> 0 < sp b z - relu z <= ln 2 / b /\ sp b 0 - relu 0 = ln 2 / b) /\
  (forall eps, 0 < eps -> exists b0, 0 < b0 /\ forall b z, b0 < b -> Rabs (sp b z - relu z) < eps) /\
  (forall b z, 0 < b -> is_derive (sp b) z (sig b z) /\ is_derive (sig b) z (spp b z) /\
                       spp b z = b / (4 * cosh (b * z / 2) ^ 2) /\ spp b z <= b / 4) /\
  (forall b th, 0 < b -> is_grad (lb b) th (sgrad b th)) /\
  (forall b w1 w2, 0 < b -> is_derive (fun x => d1 b x w2) w1 (d11 b w1 w2)) /\
  (forall b, 0 < b -> is_lim (fun w2 => d11 b 0 w2) m_infty ((1 + ln 2 - b) / 4)) /\
  (forall b L, 0 < b -> grad_lipschitz (sgrad b) L -> (b - 1 - ln 2) / 4 <= L) /\
  (forall M, exists b, 0 < b /\ forall L, grad_lipschitz (sgrad b) L -> M < L) /\
  (forall b eps eta, 2 <= b -> 0 < eps -> 0 < eta ->
     fst (sgrad b (- eps, - eps)) < 0 /\ snd (sgrad b (- eps, - eps)) < 0 /\
     - eps < fst (sgd_step b eta (- eps, - eps)) /\ - eps < snd (sgd_step b eta (- eps, - eps)) /\
     (forall t, gd eta (- eps, - eps) t = (- eps, - eps))).
Proof.
  split; [exact c6_uniform_distance | split; [exact c6_uniform_convergence | split; [exact c6_softplus_curvature |]]].
  split; [exact sgrad_is_gradient | split; [exact is_derive_d1 | split; [exact c6_curvature_limit |]]].
  split; [exact c6_lipschitz_lower_bound | split; [exact c6_no_uniform_smoothness | exact c6_dead_start]].
Qed.

Print Assumptions c6_smooth_surrogates_mislead.

(** The numeric enclosure is kept apart: it is the only result that rests on Coq's primitive floats. *)
Theorem c6_interval_enclosure : -1.577 <= d11 8 0 (-10) <= -1.576.
Proof. exact c6_enclosure_b8. Qed.

Print Assumptions c6_interval_enclosure.
