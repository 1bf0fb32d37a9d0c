(** * C1: no finite global gradient-Lipschitz constant.

    (a) The instance: for every [L > 0] the pair [(t,-1)], [(-t,-1)],
        [t = 1/(4(L+1))], off the kink set, has
        [||grad l(th) - grad l(th')|| > L ||th - th'||]; [grad] is the true
        gradient there ([grad_is_gradient]).
    (b) The family, weights and data symbolic: neuron [j] with output weight
        [a <> 0], pre-activation [w x_k + b], the other neurons' outputs [o k],
        [n] data points.  At a kink point where only data point [i]'s kink of
        neuron [j] is crossed ([w x_i + b = 0], every other [w x_k + b <> 0])
        and the residual [r = o i - y i] is non-zero:
        - bias trainable: the gradient in [(w, b)] jumps by
          [(a r / n) (x_i, 1)], of norm [|a r| / n * sqrt(x_i^2 + 1)], and no
          [L] bounds its variation;
        - bias fixed ([x_i <> 0]): the gradient in [w] jumps by
          [a r sgn(x_i) x_i / n] (norm [|a r x_i| / n]) and no [L] works.
    The partial derivatives with respect to the other parameters are components
    of the full gradient too, so a difference in the [(w, b)] block bounds the
    difference of the full gradient from below. *)

(** Not machine-checked:
    - the family's jump value (1/n)|a_j r| ||(x_i, 1)|| is proved with scalar inputs and the other neurons abstracted as outputs [o k] that do not depend on (w_j, b_j), for the (w_j, b_j) block of the gradient; 'no finite L' is proved in general by [Network.c1_network] (any n, m, input dimension, every neuron written out, weights and data symbolic), for the partial derivative along the moved parameter
    - that a difference in one partial derivative (or block) bounds the difference of the whole gradient from below (|g_q| <= ||g||) is immediate but stated outside Coq: the full gradient vector of a network with arbitrarily many parameters is not formalized
    - 'gradient' is the vector of partial derivatives ([is_derive]); off the kinks the loss is locally a polynomial, so this is its Frechet gradient, which is not itself formalized *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib Family.
Open Scope R_scope.

(** ** (a) The instance *)

Theorem c1_instance (L : R) :
  0 < L -> exists th th' : R * R,
    off_kink th /\ off_kink th' /\ is_grad loss th (grad th) /\ is_grad loss th' (grad th') /\
    L * enorm (vsub th th') < enorm (vsub (grad th) (grad th')).
Proof.
  intros HL. set (t := / (4 * (L + 1))).
  assert (Ht : 0 < t) by (apply Rinv_0_lt_compat; lra).
  assert (Ht' : t * (4 * (L + 1)) = 1) by (unfold t; field; lra).
  assert (Ht1 : t < 1) by nra.
  assert (O1 : off_kink (t, -1)) by (split; cbn; intro; lra).
  assert (O2 : off_kink (- t, -1)) by (split; cbn; intro; lra).
  exists (t, -1), (- t, -1).
  split; [exact O1 | split; [exact O2 | split; [apply grad_is_gradient, O1 | split; [apply grad_is_gradient, O2 |]]]].
  unfold vsub, grad, grad1, grad2; cbn [fst snd]. relu_simpl.
  replace (t - - t) with (2 * t) by ring. replace (-1 - -1) with 0 by ring.
  replace ((t + 0 - 1) * 1 - (0 + 0 - 1) * 0) with (t - 1) by ring.
  replace ((t + 0 - 1) * 0 - (0 + 0 - 1) * 0) with 0 by ring.
  rewrite !enorm_x0, Rabs_pos_eq, Rabs_left by lra. nra.
Qed.

(** ** (b) The family *)

Definition nloss n a (x o y : nat -> R) (w b : R) : R :=
  / (2 * INR n) * sumR n (fun k => (a * relu (w * x k + b) + o k - y k) ^ 2).

(** The gradient in [(w, b)] off the kinks (a theorem: [ngrad_is_gradient]). *)
Definition ngrad n a (x o y : nat -> R) (w b : R) : R * R :=
  (/ INR n * sumR n (fun k => (a * relu (w * x k + b) + o k - y k) * (a * H (w * x k + b) * x k)),
   / INR n * sumR n (fun k => (a * relu (w * x k + b) + o k - y k) * (a * H (w * x k + b) * 1))).

Definition noff n (x : nat -> R) (w b : R) : Prop := forall k, (k < n)%nat -> w * x k + b <> 0.

Theorem ngrad_is_gradient n a x o y w b :
  (0 < n)%nat -> noff n x w b -> is_grad (nloss n a x o y) (w, b) (ngrad n a x o y w b).
Proof.
  intros Hn Hoff. unfold is_grad, ngrad, nloss; cbn [fst snd]. split.
  - apply is_derive_ext_R with
      (f := fun t => / (2 * INR n) * sumR n (fun k => (a * relu ((w * x k + b) + x k * (t - w)) + o k - y k) ^ 2)).
    { intros t. f_equal. apply sumR_ext. intros k _.
      replace (w * x k + b + x k * (t - w)) with (t * x k + b) by ring. reflexivity. }
    apply (is_derive_sum_sq n a (fun k => w * x k + b) x o y w Hn Hoff).
  - apply is_derive_ext_R with
      (f := fun t => / (2 * INR n) * sumR n (fun k => (a * relu ((w * x k + b) + 1 * (t - b)) + o k - y k) ^ 2)).
    { intros t. f_equal. apply sumR_ext. intros k _.
      replace (w * x k + b + 1 * (t - b)) with (w * x k + t) by ring. reflexivity. }
    apply (is_derive_sum_sq n a (fun k => w * x k + b) (fun _ => 1) o y b Hn Hoff).
Qed.

(** Moving the bias: [ngrad] is the pair of [line_partial]s with coefficients [x] and [1]. *)
Lemma ngrad_bias_line n a x o y w b0 p :
  ngrad n a x o y w p =
  (line_partial n a (fun k => w * x k + b0) (fun _ => 1) o y b0 x p,
   line_partial n a (fun k => w * x k + b0) (fun _ => 1) o y b0 (fun _ => 1) p).
Proof.
  unfold ngrad, line_partial, pre. f_equal; f_equal; apply sumR_ext; intros k _;
    replace (w * x k + b0 + 1 * (p - b0)) with (w * x k + p) by ring; reflexivity.
Qed.

Lemma noff_of_pre n x w b0 p :
  (forall k, (k < n)%nat -> pre (fun k => w * x k + b0) (fun _ => 1) b0 p k <> 0) -> noff n x w p.
Proof.
  intros Hp k Hk. specialize (Hp k Hk). unfold pre in Hp.
  replace (w * x k + b0 + 1 * (p - b0)) with (w * x k + p) in Hp by ring. exact Hp.
Qed.

Theorem c1_family_bias n i a (x o y : nat -> R) (w b : R) :
  (0 < n)%nat -> (i < n)%nat -> a <> 0 -> w * x i + b = 0 ->
  (forall k, (k < n)%nat -> k <> i -> w * x k + b <> 0) -> o i - y i <> 0 ->
  (forall L, 0 < L -> exists th th' : R * R,
     noff n x (fst th) (snd th) /\ noff n x (fst th') (snd th') /\
     is_grad (nloss n a x o y) th (ngrad n a x o y (fst th) (snd th)) /\
     is_grad (nloss n a x o y) th' (ngrad n a x o y (fst th') (snd th')) /\
     L * enorm (vsub th th') < enorm (vsub (ngrad n a x o y (fst th) (snd th)) (ngrad n a x o y (fst th') (snd th')))) /\
  (forall eps, 0 < eps -> exists s0, 0 < s0 /\ forall s, 0 < s < s0 ->
     noff n x w (b + s) /\ noff n x w (b - s) /\
     enorm (vsub (vsub (ngrad n a x o y w (b + s)) (ngrad n a x o y w (b - s)))
                 (a * (o i - y i) * x i / INR n, a * (o i - y i) / INR n)) <= eps) /\
  enorm (a * (o i - y i) * x i / INR n, a * (o i - y i) / INR n) = Rabs (a * (o i - y i)) / INR n * sqrt (x i ^ 2 + 1).
Proof.
  intros Hn Hi Ha Hzi Hz Hr.
  set (z := fun k => w * x k + b).
  assert (Hzi' : z i = 0) by exact Hzi.
  assert (Hc : (fun _ : nat => 1) i <> 0) by (cbv beta; lra).
  assert (Hn' : 0 < INR n) by (apply lt_0_INR; exact Hn).
  assert (Sg : sgn 1 = 1) by (apply sgn_pos; lra).
  split; [| split].
  - intros L HL.
    destruct (no_lipschitz_line n i a b z (fun _ => 1) o y Hn Hi Hzi' Hc Hz Ha Hr L HL) as (s & Hs & Hoff & Hlt).
    exists (w, b + s), (w, b - s). cbn [fst snd].
    assert (N1 : noff n x w (b + s)) by (apply (noff_of_pre n x w b); intros k Hk; apply Hoff, Hk).
    assert (N2 : noff n x w (b - s)) by (apply (noff_of_pre n x w b); intros k Hk; apply Hoff, Hk).
    split; [exact N1 | split; [exact N2 | split; [apply ngrad_is_gradient; auto | split; [apply ngrad_is_gradient; auto |]]]].
    unfold vsub; cbn [fst snd]. replace (w - w) with 0 by ring. rewrite enorm_0x.
    eapply Rlt_le_trans; [| apply enorm_ge_snd]. cbn [snd].
    rewrite !(ngrad_bias_line n a x o y w b). cbn [snd]. exact Hlt.
  - intros eps He.
    assert (He2 : 0 < eps / 2) by lra.
    destruct (jump_limit n i a b z (fun _ => 1) o y Hn Hi Hzi' Hc Hz x (eps / 2) He2) as (s1 & Hs1 & J1).
    destruct (jump_limit n i a b z (fun _ => 1) o y Hn Hi Hzi' Hc Hz (fun _ => 1) (eps / 2) He2) as (s2 & Hs2 & J2).
    exists (Rmin s1 s2). split; [apply Rmin_glb_lt; auto |]. intros s Hs.
    assert (Hs1' : 0 < s < s1) by (split; [lra | eapply Rlt_le_trans; [apply Hs | apply Rmin_l]]).
    assert (Hs2' : 0 < s < s2) by (split; [lra | eapply Rlt_le_trans; [apply Hs | apply Rmin_r]]).
    destruct (J1 s Hs1') as [Hoff B1]. destruct (J2 s Hs2') as [_ B2].
    rewrite Sg in B1, B2.
    split; [apply (noff_of_pre n x w b); intros k Hk; apply Hoff, Hk |].
    split; [apply (noff_of_pre n x w b); intros k Hk; apply Hoff, Hk |].
    eapply Rle_trans; [apply enorm_le_sum |]. unfold vsub; cbn [fst snd].
    rewrite !(ngrad_bias_line n a x o y w b). cbn [fst snd].
    unfold z in B1, B2.
    replace (a * (o i - y i) * 1 * x i / INR n) with (a * (o i - y i) * x i / INR n) in B1 by (field; lra).
    replace (a * (o i - y i) * 1 * 1 / INR n) with (a * (o i - y i) / INR n) in B2 by (field; lra).
    lra.
  - unfold enorm; cbn [fst snd].
    replace ((a * (o i - y i) * x i / INR n) ^ 2 + (a * (o i - y i) / INR n) ^ 2)
      with ((a * (o i - y i) / INR n) ^ 2 * (x i ^ 2 + 1)) by (field; lra).
    assert (P1 : 0 <= (a * (o i - y i) / INR n) ^ 2) by apply pow2_ge_0.
    assert (P2 : 0 <= x i ^ 2 + 1) by (pose proof (pow2_ge_0 (x i)); lra).
    rewrite (sqrt_mult _ _ P1 P2). f_equal.
    rewrite <- Rsqr_pow2, sqrt_Rsqr_abs. unfold Rdiv. rewrite Rabs_mult, Rabs_inv, (Rabs_pos_eq (INR n)) by lra.
    reflexivity.
Qed.

(** Moving an input weight [w] (bias fixed): the [w]-partial is a [line_partial] with coefficients [x]. *)
Lemma ngrad_weight_line n a x o y w0 b p :
  fst (ngrad n a x o y p b) = line_partial n a (fun k => w0 * x k + b) x o y w0 x p.
Proof.
  unfold ngrad, line_partial, pre; cbn [fst]. f_equal; apply sumR_ext; intros k _.
  replace (w0 * x k + b + x k * (p - w0)) with (p * x k + b) by ring; reflexivity.
Qed.

Lemma noff_of_pre_w n x w0 b p :
  (forall k, (k < n)%nat -> pre (fun k => w0 * x k + b) x w0 p k <> 0) -> noff n x p b.
Proof.
  intros Hp k Hk. specialize (Hp k Hk). unfold pre in Hp.
  replace (w0 * x k + b + x k * (p - w0)) with (p * x k + b) in Hp by ring. exact Hp.
Qed.

Theorem c1_family_no_bias n i a (x o y : nat -> R) (w b : R) :
  (0 < n)%nat -> (i < n)%nat -> a <> 0 -> x i <> 0 -> w * x i + b = 0 ->
  (forall k, (k < n)%nat -> k <> i -> w * x k + b <> 0) -> o i - y i <> 0 ->
  (forall L, 0 < L -> exists w1 w2,
     noff n x w1 b /\ noff n x w2 b /\
     is_derive (fun t => nloss n a x o y t b) w1 (fst (ngrad n a x o y w1 b)) /\
     is_derive (fun t => nloss n a x o y t b) w2 (fst (ngrad n a x o y w2 b)) /\
     L * Rabs (w1 - w2) < Rabs (fst (ngrad n a x o y w1 b) - fst (ngrad n a x o y w2 b))) /\
  (forall eps, 0 < eps -> exists s0, 0 < s0 /\ forall s, 0 < s < s0 ->
     noff n x (w + s) b /\ noff n x (w - s) b /\
     Rabs (fst (ngrad n a x o y (w + s) b) - fst (ngrad n a x o y (w - s) b)
           - a * (o i - y i) * sgn (x i) * x i / INR n) <= eps) /\
  Rabs (a * (o i - y i) * sgn (x i) * x i / INR n) = Rabs (a * (o i - y i) * x i) / INR n.
Proof.
  intros Hn Hi Ha Hx Hzi Hz Hr.
  set (z := fun k => w * x k + b).
  assert (Hzi' : z i = 0) by exact Hzi.
  assert (Hn' : 0 < INR n) by (apply lt_0_INR; exact Hn).
  split; [| split].
  - intros L HL.
    destruct (no_lipschitz_line n i a w z x o y Hn Hi Hzi' Hx Hz Ha Hr L HL) as (s & Hs & Hoff & Hlt).
    assert (N1 : noff n x (w + s) b) by (apply (noff_of_pre_w n x w b); intros k Hk; apply Hoff, Hk).
    assert (N2 : noff n x (w - s) b) by (apply (noff_of_pre_w n x w b); intros k Hk; apply Hoff, Hk).
    exists (w + s), (w - s).
    split; [exact N1 | split; [exact N2 | split; [| split]]].
    + exact (proj1 (ngrad_is_gradient n a x o y (w + s) b Hn N1)).
    + exact (proj1 (ngrad_is_gradient n a x o y (w - s) b Hn N2)).
    + rewrite !(ngrad_weight_line n a x o y w b). exact Hlt.
  - intros eps He.
    destruct (jump_limit n i a w z x o y Hn Hi Hzi' Hx Hz x eps He) as (s0 & Hs0 & J).
    exists s0. split; auto. intros s Hs. destruct (J s Hs) as [Hoff B].
    split; [apply (noff_of_pre_w n x w b); intros k Hk; apply Hoff, Hk |].
    split; [apply (noff_of_pre_w n x w b); intros k Hk; apply Hoff, Hk |].
    rewrite !(ngrad_weight_line n a x o y w b). exact B.
  - unfold Rdiv. rewrite !Rabs_mult, (sgn_abs _ Hx), Rabs_inv, (Rabs_pos_eq (INR n)) by lra. ring.
Qed.

Print Assumptions c1_instance.
Print Assumptions c1_family_bias.
Print Assumptions c1_family_no_bias.
