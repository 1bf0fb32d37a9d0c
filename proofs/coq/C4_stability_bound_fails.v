(** * C4: the classical stability bound fails.

    For beta-smooth losses GD is (1 + eta beta)-expansive (Hardt-Recht-Singer
    2016): [||th_T - th'_T|| <= (1 + eta beta)^T ||th_0 - th'_0||].  Here, for
    every [beta > 0], every step size [0 < eta <= 1/2] and every horizon
    [T >= 1], some start [(eps, eps)] versus [(-eps, -eps)] violates it: the
    second run never moves (both neurons dead) while the first climbs to
    [(1/2, 1/2)].  After one step the amplification is exactly
    [(1 - eta) + eta / (2 eps)], unbounded as [eps -> 0]. *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib C3_training_stable.
Open Scope R_scope.



Lemma pow_le_base q T : 0 <= q <= 1 -> q ^ (S T) <= q.
Proof.
  intros Hq. induction T as [| T IH]; [simpl; lra |].
  change (q ^ S (S T)) with (q * q ^ (S T)). pose proof (pow_le q (S T) (proj1 Hq)). nra.
Qed.

Lemma live_run_ge_first eta eps T :
  0 < eta <= / 2 -> 0 < eps < / 2 -> (1 <= T)%nat ->
  eps - eta * (2 * eps - 1) <= fst (gd eta (eps, eps) T).
Proof.
  intros He Hs HT. destruct T as [| T]; [lia |].
  destruct (c3_invariant eta eps He Hs (S T)) as (_ & _ & F).
  pose proof (pow_le_base (1 - 2 * eta) T ltac:(lra)). nra.
Qed.

Theorem c4_stability_bound_fails (beta eta : R) (T : nat) :
  0 < beta -> 0 < eta <= / 2 -> (1 <= T)%nat ->
  exists eps, 0 < eps < / 2 /\
    (forall t, gd eta (- eps, - eps) t = (- eps, - eps)) /\
    (1 + eta * beta) ^ T * enorm (vsub (eps, eps) (- eps, - eps))
      < enorm (vsub (gd eta (eps, eps) T) (gd eta (- eps, - eps) T)).
Proof.
  intros Hb He HT.
  set (P := (1 + eta * beta) ^ T).
  assert (HP : 1 <= P) by (unfold P; apply pow_R1_Rle; nra).
  set (eps := eta / (2 * (P + 1))).
  assert (Heps : 2 * eps * (P + 1) = eta) by (unfold eps; field; lra).
  assert (He0 : 0 < eps) by (unfold eps; apply Rdiv_lt_0_compat; lra).
  assert (Hs : 0 < eps < / 2) by (split; [exact He0 | nra]).
  exists eps. split; [exact Hs | split; [apply dead_run; lra |]].
  rewrite dead_run by lra.
  destruct (c3_invariant eta eps He Hs T) as (E & Hpos & _).
  pose proof (live_run_ge_first eta eps T He Hs HT) as G.
  destruct (gd eta (eps, eps) T) as [u v]; cbn [fst snd] in *. subst v.
  unfold vsub; cbn [fst snd]. replace (eps - - eps) with (2 * eps) by ring. replace (u - - eps) with (u + eps) by ring.
  rewrite !enorm_xx, !Rabs_pos_eq by lra.
  assert (0 < sqrt 2) by (apply sqrt_lt_R0; lra).
  assert (2 * P * eps < u + eps) by nra.
  fold P. nra.
Qed.

(** One step: the amplification is exactly [(1 - eta) + eta / (2 eps)], above any bound for small [eps]. *)
Theorem c4_one_step (eta eps : R) :
  0 < eta <= / 2 -> 0 < eps < / 2 ->
  enorm (vsub (gd eta (eps, eps) 1) (gd eta (- eps, - eps) 1))
    = ((1 - eta) + eta / (2 * eps)) * enorm (vsub (eps, eps) (- eps, - eps)).
Proof.
  intros He Hs. rewrite dead_run by lra. simpl gd. rewrite gd_step_diag by lra.
  unfold vsub; cbn [fst snd]. rewrite !enorm_xx, !Rabs_pos_eq by nra. field. lra.
Qed.

Theorem c4_amplification_unbounded (M : R) :
  exists eps, 0 < eps < / 2 /\ M < (1 - / 10) + (/ 10) / (2 * eps).
Proof.
  set (eps := / (20 * (Rabs M + 1))).
  assert (HM : 0 < Rabs M + 1) by (pose proof (Rabs_pos M); lra).
  assert (Hs : 0 < eps) by (unfold eps; apply Rinv_0_lt_compat; lra).
  exists eps. split; [split; [exact Hs | unfold eps] |].
  - apply (Rmult_lt_reg_r (20 * (Rabs M + 1))); [lra |]. rewrite Rinv_l by lra. pose proof (Rabs_pos M); lra.
  - replace (/ 10 / (2 * eps)) with (Rabs M + 1) by (unfold eps; field; lra).
    pose proof (Rle_abs M). lra.
Qed.

Print Assumptions c4_stability_bound_fails.
Print Assumptions c4_one_step.
Print Assumptions c4_amplification_unbounded.
