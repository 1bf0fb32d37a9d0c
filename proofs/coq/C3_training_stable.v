(** * C3: training looks stable.

    Gradient descent [th_{t+1} = th_t - eta grad l(th_t)] with [0 < eta <= 1/2]
    from [(eps, eps)], [0 < eps < 1/2]: by induction over [t], [w1 = w2 = w_t]
    with [0 < w_t <= 1/2] (never on the kink set, so [grad] is the true
    gradient at every iterate), [w_t - 1/2 = (1 - 2 eta)^t (eps - 1/2)],
    [l_{t+1} = (1 - 2 eta)^2 l_t <= l_t], and [th_t -> (1/2, 1/2)]. *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib.
Open Scope R_scope.

Lemma gd_step_diag eta w : 0 < w -> gd_step eta (w, w) = (w - eta * (2 * w - 1), w - eta * (2 * w - 1)).
Proof. intros Hw. unfold gd_step, grad, grad1, grad2; cbn [fst snd]. relu_simpl. f_equal; ring. Qed.

Lemma loss_diag w : 0 < w -> loss w w = 2 * (w - / 2) ^ 2.
Proof. intros Hw. unfold loss. relu_simpl. field. Qed.

(** The invariant, by induction over [t]. *)
Lemma c3_invariant eta eps :
  0 < eta <= / 2 -> 0 < eps < / 2 -> forall t,
    fst (gd eta (eps, eps) t) = snd (gd eta (eps, eps) t) /\ 0 < fst (gd eta (eps, eps) t) <= / 2 /\
    fst (gd eta (eps, eps) t) - / 2 = (1 - 2 * eta) ^ t * (eps - / 2).
Proof.
  intros He Hs. induction t as [| t IH].
  - simpl. split; [reflexivity | split; [lra | ring]].
  - destruct IH as (E & Hpos & Hform). simpl gd.
    destruct (gd eta (eps, eps) t) as [u v]; cbn [fst snd] in *. subst v.
    rewrite gd_step_diag by lra; cbn [fst snd].
    assert (Hq : 0 <= 1 - 2 * eta < 1) by lra.
    split; [reflexivity | split; [split |]].
    + nra.
    + nra.
    + replace (u - eta * (2 * u - 1) - / 2) with ((1 - 2 * eta) * (u - / 2)) by field.
      rewrite Hform. simpl. ring.
Qed.

Theorem c3_training_stable eta eps :
  0 < eta <= / 2 -> 0 < eps < / 2 ->
  (forall t, let th := gd eta (eps, eps) t in
     off_kink th /\ is_grad loss th (grad th) /\
     fst th = snd th /\ 0 < fst th <= / 2 /\ fst th - / 2 = (1 - 2 * eta) ^ t * (eps - / 2) /\
     loss (fst (gd eta (eps, eps) (S t))) (snd (gd eta (eps, eps) (S t))) = (1 - 2 * eta) ^ 2 * loss (fst th) (snd th) /\
     loss (fst (gd eta (eps, eps) (S t))) (snd (gd eta (eps, eps) (S t))) <= loss (fst th) (snd th)) /\
  is_lim_seq (fun t => fst (gd eta (eps, eps) t)) (/ 2) /\ is_lim_seq (fun t => snd (gd eta (eps, eps) t)) (/ 2).
Proof.
  intros He Hs.
  assert (Step : forall t, loss (fst (gd eta (eps, eps) (S t))) (snd (gd eta (eps, eps) (S t)))
                           = (1 - 2 * eta) ^ 2 * loss (fst (gd eta (eps, eps) t)) (snd (gd eta (eps, eps) t))).
  { intros t. destruct (c3_invariant eta eps He Hs t) as (E & Hpos & _).
    destruct (c3_invariant eta eps He Hs (S t)) as (E' & Hpos' & _).
    rewrite <- E, <- E', !loss_diag by lra. simpl gd.
    destruct (gd eta (eps, eps) t) as [u v]; cbn [fst snd] in *. subst v.
    rewrite gd_step_diag by lra; cbn [fst snd].
    replace (u - eta * (2 * u - 1) - / 2) with ((1 - 2 * eta) * (u - / 2)) by field. ring. }
  assert (Lim : is_lim_seq (fun t => fst (gd eta (eps, eps) t)) (/ 2)).
  { apply is_lim_seq_ext with (u := fun t => / 2 + (eps - / 2) * (1 - 2 * eta) ^ t).
    - intros t. destruct (c3_invariant eta eps He Hs t) as (_ & _ & F). lra.
    - pose proof (is_lim_seq_geom (1 - 2 * eta) ltac:(rewrite Rabs_pos_eq; lra)) as G.
      pose proof (is_lim_seq_scal_l _ (eps - / 2) 0 G) as G2. simpl in G2. rewrite Rmult_0_r in G2.
      pose proof (is_lim_seq_plus' (fun _ => / 2) _ (/ 2) 0 (is_lim_seq_const (/ 2)) G2) as G3.
      rewrite Rplus_0_r in G3. exact G3. }
  split; [| split; [exact Lim |]].
  - intros t th. destruct (c3_invariant eta eps He Hs t) as (E & Hpos & F).
    assert (Off : off_kink th) by (unfold th; split; [lra | rewrite <- E; lra]).
    split; [exact Off | split; [apply grad_is_gradient, Off |]].
    split; [exact E | split; [exact Hpos | split; [exact F | split; [apply Step |]]]].
    rewrite Step. assert (0 <= loss (fst th) (snd th)) by (unfold loss; pose proof (pow2_ge_0 (relu (fst th) + relu (snd th) - 1)); lra).
    assert ((1 - 2 * eta) ^ 2 <= 1) by nra. fold th. nra.
  - apply is_lim_seq_ext with (u := fun t => fst (gd eta (eps, eps) t)); [| exact Lim].
    intros t. apply (c3_invariant eta eps He Hs t).
Qed.

Print Assumptions c3_training_stable.
