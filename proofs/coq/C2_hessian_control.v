(** * C2: Hessian control fails too.

    On every open region the Hessian of the instance exists ([hess_is_hessian],
    second derivatives proved with [is_derive]) and is constant:
    [[1,1],[1,1]] on {w1>0,w2>0} (spectral norm 2), [[1,0],[0,0]] and
    [[0,0],[0,1]] on the mixed regions (norm 1), 0 on {w1<0,w2<0} (norm 0).
    So [sup ||Hess l|| = 2] over all differentiable points (all of R^2 off the
    kinks, bounded or not), and yet for every [t] in (0, 1/5) the pair
    [(t,-1)], [(-t,-1)] has [||grad l(th) - grad l(th')|| > 2 ||th - th'||]:
    the mean value inequality fails across the kink. *)

(** Not machine-checked:
    - the Hessian is the matrix of second partial derivatives ([is_derive] of the partial derivatives); that it is the Frechet second derivative (the loss is locally a polynomial) is not itself formalized *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib.
Open Scope R_scope.

Definition mat_apply (h : R * R * R * R) (v : R * R) : R * R :=
  let '(a, b, c, d) := h in (a * fst v + b * snd v, c * fst v + d * snd v).

(** [c] is the spectral (operator) norm of [h]: a bound, attained at a non-zero vector. *)
Definition opnorm_is (h : R * R * R * R) (c : R) : Prop :=
  (forall v, enorm (mat_apply h v) <= c * enorm v) /\
  exists v, v <> (0, 0) /\ enorm (mat_apply h v) = c * enorm v.

Lemma enorm_le_of_sq (c : R) a b :
  0 <= c -> fst a ^ 2 + snd a ^ 2 <= c ^ 2 * (fst b ^ 2 + snd b ^ 2) -> enorm a <= c * enorm b.
Proof.
  intros Hc Hsq. unfold enorm. rewrite <- (sqrt_pow2 c Hc) at 1.
  rewrite <- sqrt_mult by (apply pow2_ge_0 || nra). apply sqrt_le_1_alt. exact Hsq.
Qed.

Lemma enorm_eq_of_sq (c : R) a b :
  0 <= c -> fst a ^ 2 + snd a ^ 2 = c ^ 2 * (fst b ^ 2 + snd b ^ 2) -> enorm a = c * enorm b.
Proof.
  intros Hc Hsq. unfold enorm. rewrite <- (sqrt_pow2 c Hc) at 1.
  rewrite <- sqrt_mult by (apply pow2_ge_0 || nra). f_equal. exact Hsq.
Qed.

Lemma pair_ne (a b : R) : a <> 0 -> (a, b) <> (0, 0).
Proof. intros Ha E. inversion E. auto. Qed.

Theorem c2_region_hessians w1 w2 :
  (0 < w1 -> 0 < w2 -> hess (w1, w2) = (1, 1, 1, 1)) /\
  (0 < w1 -> w2 < 0 -> hess (w1, w2) = (1, 0, 0, 0)) /\
  (w1 < 0 -> 0 < w2 -> hess (w1, w2) = (0, 0, 0, 1)) /\
  (w1 < 0 -> w2 < 0 -> hess (w1, w2) = (0, 0, 0, 0)).
Proof.
  unfold hess. split; [| split; [| split]]; intros; relu_simpl; rewrite ?Rmult_1_l, ?Rmult_0_l, ?Rmult_0_r; reflexivity.
Qed.

Theorem c2_region_norms :
  opnorm_is (1, 1, 1, 1) 2 /\ opnorm_is (1, 0, 0, 0) 1 /\ opnorm_is (0, 0, 0, 1) 1 /\ opnorm_is (0, 0, 0, 0) 0.
Proof.
  split; [| split; [| split]]; split.
  - intros v. apply enorm_le_of_sq; [lra |]. simpl; destruct v as [x y]; simpl. pose proof (pow2_ge_0 (x - y)). nra.
  - exists (1, 1). split; [apply pair_ne; lra | apply enorm_eq_of_sq; [lra | simpl; ring]].
  - intros v. apply enorm_le_of_sq; [lra |]. destruct v as [x y]; simpl. nra.
  - exists (1, 0). split; [apply pair_ne; lra | apply enorm_eq_of_sq; [lra | simpl; ring]].
  - intros v. apply enorm_le_of_sq; [lra |]. destruct v as [x y]; simpl. nra.
  - exists (0, 1). split; [intro E; inversion E; lra | apply enorm_eq_of_sq; [lra | simpl; ring]].
  - intros v. apply enorm_le_of_sq; [lra |]. destruct v as [x y]; simpl. nra.
  - exists (1, 0). split; [apply pair_ne; lra | apply enorm_eq_of_sq; [lra | simpl; ring]].
Qed.

(** The a.e. Hessian bound: [||Hess l(th)|| <= 2] at every differentiable point, with equality on {w1>0, w2>0}. *)
Lemma c2_hessian_bound th :
  off_kink th -> is_hessian th (hess th) /\ forall v, enorm (mat_apply (hess th) v) <= 2 * enorm v.
Proof.
  intros Hoff. split; [apply hess_is_hessian, Hoff |]. intros [x y]. destruct th as [w1 w2].
  apply enorm_le_of_sq; [lra |]. unfold hess; simpl.
  destruct (H_01 w1) as [-> | ->]; destruct (H_01 w2) as [-> | ->]; pose proof (pow2_ge_0 (x - y)); nra.
Qed.

(** The mean value inequality fails: the gradient is not 2-Lipschitz across the kink. *)
Lemma c2_mvt_fails t :
  0 < t < / 5 ->
  off_kink (t, -1) /\ off_kink (- t, -1) /\
  2 * enorm (vsub (t, -1) (- t, -1)) < enorm (vsub (grad (t, -1)) (grad (- t, -1))).
Proof.
  intros Ht. split; [split; cbn; intro; lra | split; [split; cbn; intro; lra |]].
  unfold vsub, grad, grad1, grad2; cbn [fst snd]. relu_simpl.
  replace (t - - t) with (2 * t) by ring. replace (-1 - -1) with 0 by ring.
  replace ((t + 0 - 1) * 1 - (0 + 0 - 1) * 0) with (t - 1) by ring.
  replace ((t + 0 - 1) * 0 - (0 + 0 - 1) * 0) with 0 by ring.
  rewrite !enorm_x0, Rabs_pos_eq, Rabs_left by lra. lra.
Qed.

Theorem c2_hessian_control :
  (forall th, off_kink th -> is_hessian th (hess th) /\ forall v, enorm (mat_apply (hess th) v) <= 2 * enorm v) /\
  off_kink (1, 1) /\ opnorm_is (hess (1, 1)) 2 /\
  (forall t, 0 < t < / 5 -> 2 * enorm (vsub (t, -1) (- t, -1)) < enorm (vsub (grad (t, -1)) (grad (- t, -1)))).
Proof.
  split; [apply c2_hessian_bound |]. split; [split; cbn; intro; lra |]. split.
  - destruct (c2_region_hessians 1 1) as [E _]. rewrite E by lra. apply c2_region_norms.
  - intros t Ht. apply c2_mvt_fails, Ht.
Qed.

Print Assumptions c2_region_hessians.
Print Assumptions c2_region_norms.
Print Assumptions c2_hessian_control.
