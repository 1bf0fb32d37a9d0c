(** * symrelu proof library: ReLU, the paper's instance, its gradient, Clarke sets.

    The instance of [shared/paper-claims.md]:
    [loss w1 w2 = 1/2 (relu w1 + relu w2 - 1)^2].
    The gradient formula [grad] is a theorem ([grad_is_gradient], proved with
    Coquelicot's [is_derive] off the kink set), and so is the Hessian
    ([hess_is_hessian]).  The Clarke subdifferential is defined as the convex
    hull of the limits of gradients (Clarke 1990, Thm 2.5.1 taken as the
    definition); for the instance it is computed in C5 and C7. *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
Open Scope R_scope.

(** ** ReLU and its derivative off 0 *)

Definition relu (x : R) : R := Rmax 0 x.

(** Heaviside step; its value at 0 is never used by a theorem about gradients
    (they all assume points off the kink set). *)
Definition H (x : R) : R := if Rlt_dec 0 x then 1 else 0.

Lemma relu_pos x : 0 <= x -> relu x = x.
Proof. intros; unfold relu; apply Rmax_right; lra. Qed.

Lemma relu_neg x : x <= 0 -> relu x = 0.
Proof. intros; unfold relu; apply Rmax_left; lra. Qed.

Lemma relu_nonneg x : 0 <= relu x.
Proof. unfold relu; apply Rmax_l. Qed.

Lemma H_pos x : 0 < x -> H x = 1.
Proof. intros; unfold H; destruct (Rlt_dec 0 x); lra. Qed.

Lemma H_neg x : x <= 0 -> H x = 0.
Proof. intros; unfold H; destruct (Rlt_dec 0 x); lra. Qed.

Lemma H_01 x : H x = 0 \/ H x = 1.
Proof. unfold H; destruct (Rlt_dec 0 x); auto. Qed.

Lemma relu_H x : relu x = H x * x.
Proof.
  destruct (Rlt_or_le 0 x).
  - rewrite relu_pos, H_pos by lra; ring.
  - rewrite relu_neg, H_neg by lra; ring.
Qed.

Lemma relu_lip x y : Rabs (relu x - relu y) <= Rabs (x - y).
Proof.
  destruct (Rle_or_lt 0 x); destruct (Rle_or_lt 0 y);
    [rewrite (relu_pos x), (relu_pos y) | rewrite (relu_pos x), (relu_neg y)
    | rewrite (relu_neg x), (relu_pos y) | rewrite (relu_neg x), (relu_neg y)];
    try lra; unfold Rabs; repeat destruct Rcase_abs; lra.
Qed.

Lemma lim_relu (u : nat -> R) (l : R) :
  is_lim_seq u l -> is_lim_seq (fun k => relu (u k)) (relu l).
Proof.
  intros Hu. apply is_lim_seq_spec in Hu. apply is_lim_seq_spec.
  intros eps. destruct (Hu eps) as [N HN]. exists N. intros k Hk.
  eapply Rle_lt_trans; [apply relu_lip | apply HN; exact Hk].
Qed.

(** A non-zero pre-activation keeps its sign near [t0]. *)
Lemma locally_H (u d t0 : R) :
  u <> 0 -> locally t0 (fun t => H (u + d * (t - t0)) = H u).
Proof.
  intros Hu.
  assert (Ha : 0 < Rabs u) by (apply Rabs_pos_lt; exact Hu).
  assert (Hd : 0 < Rabs d + 1) by (pose proof (Rabs_pos d); lra).
  assert (He : 0 < Rabs u / (Rabs d + 1)) by (apply Rdiv_lt_0_compat; lra).
  exists (mkposreal _ He). intros t Ht.
  unfold ball in Ht; simpl in Ht; unfold AbsRing_ball, abs, minus, plus, opp in Ht; simpl in Ht.
  assert (Hm : Rabs (d * (t - t0)) < Rabs u).
  { rewrite Rabs_mult. replace (t - t0) with (t + - t0) by ring.
    assert (Heq : Rabs u / (Rabs d + 1) * (Rabs d + 1) = Rabs u) by (field; lra).
    pose proof (Rabs_pos d). pose proof (Rabs_pos (t + - t0)). nra. }
  revert Hm. unfold Rabs at 1 2; repeat destruct Rcase_abs; intros;
    [rewrite !H_neg by lra | | |]; try (rewrite !H_pos by lra); try lra;
    rewrite !H_neg by lra; reflexivity.
Qed.

(** ** Finite sums *)

Lemma is_derive_const_R (c t : R) : is_derive (fun _ => c) t 0.
Proof. auto_derive; auto. Qed.

Fixpoint sumR (n : nat) (f : nat -> R) : R :=
  match n with O => 0 | S m => sumR m f + f m end.

Lemma sumR_ext n f g : (forall k, (k < n)%nat -> f k = g k) -> sumR n f = sumR n g.
Proof.
  induction n; intros Hfg; simpl; auto.
  rewrite IHn by (intros; apply Hfg; lia). rewrite Hfg by lia. reflexivity.
Qed.

Lemma sumR_plus n f g : sumR n (fun k => f k + g k) = sumR n f + sumR n g.
Proof. induction n; simpl; [ring | rewrite IHn; ring]. Qed.

Lemma sumR_minus n f g : sumR n (fun k => f k - g k) = sumR n f - sumR n g.
Proof. induction n; simpl; [ring | rewrite IHn; ring]. Qed.

Lemma sumR_scal n c f : sumR n (fun k => c * f k) = c * sumR n f.
Proof. induction n; simpl; [ring | rewrite IHn; ring]. Qed.

Lemma sumR_le n f g : (forall k, (k < n)%nat -> f k <= g k) -> sumR n f <= sumR n g.
Proof.
  induction n; intros Hfg; simpl; [lra |].
  pose proof (IHn (fun k Hk => Hfg k (Nat.lt_lt_succ_r _ _ Hk))). pose proof (Hfg n (Nat.lt_succ_diag_r n)). lra.
Qed.

Lemma sumR_abs n f : Rabs (sumR n f) <= sumR n (fun k => Rabs (f k)).
Proof.
  induction n; simpl; [rewrite Rabs_R0; lra |].
  eapply Rle_trans; [apply Rabs_triang | lra].
Qed.

Lemma sumR_nonneg n f : (forall k, (k < n)%nat -> 0 <= f k) -> 0 <= sumR n f.
Proof. intros Hf. replace 0 with (sumR n (fun _ => 0)). apply sumR_le; auto.
  clear Hf; induction n; simpl; [ring | rewrite IHn; ring]. Qed.

Lemma sumR_single n i v : (i < n)%nat -> sumR n (fun k => if Nat.eqb k i then v else 0) = v.
Proof.
  induction n; intros Hi; [lia |]. simpl.
  destruct (Nat.eqb_spec n i).
  - subst. replace (sumR i _) with 0. ring.
    symmetry. transitivity (sumR i (fun _ => 0)).
    + apply sumR_ext. intros k Hk. destruct (Nat.eqb_spec k i); [lia | reflexivity].
    + clear; induction i; simpl; [ring | rewrite IHi; ring].
  - rewrite IHn by lia. ring.
Qed.

Lemma sumR_const n c : sumR n (fun _ => c) = INR n * c.
Proof. induction n; simpl sumR; [simpl; ring | rewrite IHn, S_INR; ring]. Qed.

Lemma is_derive_sumR n (F : nat -> R -> R) (dF : nat -> R) t :
  (forall k, (k < n)%nat -> is_derive (F k) t (dF k)) ->
  is_derive (fun x => sumR n (fun k => F k x)) t (sumR n dF).
Proof.
  induction n; intros HF; simpl.
  - apply is_derive_const_R.
  - apply (is_derive_plus (fun x => sumR n (fun k => F k x)) (F n)).
    + apply IHn. intros; apply HF; lia.
    + apply HF; lia.
Qed.

(** Convex combinations of reals in [a, b] stay in [a, b]. *)
Lemma sumR_convex n (lam x : nat -> R) a b :
  (forall k, (k < n)%nat -> 0 <= lam k /\ a <= x k <= b) -> sumR n lam = 1 ->
  a <= sumR n (fun k => lam k * x k) <= b.
Proof.
  intros Hk Hs.
  assert (E : forall c, sumR n (fun k => lam k * c) = c).
  { intros c. rewrite (sumR_ext n (fun k => lam k * c) (fun k => c * lam k)) by (intros; ring).
    rewrite sumR_scal, Hs; ring. }
  split.
  - rewrite <- (E a) at 1. apply sumR_le. intros k H0. destruct (Hk k H0). nra.
  - rewrite <- (E b). apply sumR_le. intros k H0. destruct (Hk k H0). nra.
Qed.

(** ** The derivative of a squared affine-ReLU term, the building block of every gradient *)

Lemma is_derive_sq_relu (a u d t0 o : R) :
  u <> 0 ->
  is_derive (fun t => (a * relu (u + d * (t - t0)) + o) ^ 2) t0
            (2 * (a * relu u + o) * (a * H u * d)).
Proof.
  intros Hu.
  apply is_derive_ext_loc with (f := fun t => (a * (H u * (u + d * (t - t0))) + o) ^ 2).
  - apply filter_imp with (2 := locally_H u d t0 Hu). intros t Ht.
    rewrite (relu_H (u + d * (t - t0))), Ht. reflexivity.
  - auto_derive; auto. rewrite relu_H. ring.
Qed.

Lemma is_derive_relu_lin (u d t0 : R) :
  u <> 0 -> is_derive (fun t => relu (u + d * (t - t0))) t0 (H u * d).
Proof.
  intros Hu.
  apply is_derive_ext_loc with (f := fun t => H u * (u + d * (t - t0))).
  - apply filter_imp with (2 := locally_H u d t0 Hu). intros t Ht.
    rewrite (relu_H (u + d * (t - t0))), Ht. reflexivity.
  - auto_derive; auto. ring.
Qed.

Lemma is_derive_H_lin (u d t0 : R) :
  u <> 0 -> is_derive (fun t => H (u + d * (t - t0))) t0 0.
Proof.
  intros Hu.
  apply is_derive_ext_loc with (f := fun _ => H u).
  - apply filter_imp with (2 := locally_H u d t0 Hu). intros t Ht. symmetry; exact Ht.
  - apply is_derive_const_R.
Qed.

Lemma is_derive_relu_at u : u <> 0 -> is_derive relu u (H u).
Proof.
  intros Hu. pose proof (is_derive_relu_lin u 1 u Hu) as D. rewrite Rmult_1_r in D.
  apply is_derive_ext with (2 := D). intros t. apply (f_equal relu). ring.
Qed.

Lemma is_derive_H_at u : u <> 0 -> is_derive H u 0.
Proof.
  intros Hu. pose proof (is_derive_H_lin u 1 u Hu) as D.
  apply is_derive_ext with (2 := D). intros t. apply (f_equal H). ring.
Qed.

(** ** Euclidean norm on R^2 *)

Definition enorm (v : R * R) : R := sqrt (fst v ^ 2 + snd v ^ 2).
Definition vsub (u v : R * R) : R * R := (fst u - fst v, snd u - snd v).

Lemma enorm_nonneg v : 0 <= enorm v.
Proof. apply sqrt_pos. Qed.

Lemma enorm_x0 x : enorm (x, 0) = Rabs x.
Proof. unfold enorm; simpl. rewrite <- sqrt_Rsqr_abs. f_equal. unfold Rsqr; ring. Qed.

Lemma enorm_xx x : enorm (x, x) = sqrt 2 * Rabs x.
Proof.
  unfold enorm; simpl. rewrite <- sqrt_Rsqr_abs, <- sqrt_mult by (lra || apply Rle_0_sqr).
  f_equal. unfold Rsqr; ring.
Qed.

Lemma enorm_triangle u v : enorm (fst u + fst v, snd u + snd v) <= enorm u + enorm v.
Proof.
  destruct u as [u1 u2], v as [v1 v2]; unfold enorm; cbn [fst snd].
  set (U := u1 ^ 2 + u2 ^ 2). set (V := v1 ^ 2 + v2 ^ 2).
  assert (HU : 0 <= U) by (unfold U; nra). assert (HV : 0 <= V) by (unfold V; nra).
  assert (CS : u1 * v1 + u2 * v2 <= sqrt U * sqrt V).
  { rewrite <- sqrt_mult by auto. destruct (Rle_or_lt (u1 * v1 + u2 * v2) 0).
    - pose proof (sqrt_pos (U * V)); lra.
    - rewrite <- (sqrt_pow2 (u1 * v1 + u2 * v2)) by lra. apply sqrt_le_1_alt. unfold U, V. pose proof (pow2_ge_0 (u1 * v2 - u2 * v1)); nra. }
  rewrite <- (sqrt_pow2 (sqrt U + sqrt V)) by (pose proof (sqrt_pos U); pose proof (sqrt_pos V); lra).
  apply sqrt_le_1_alt. replace ((sqrt U + sqrt V) ^ 2) with (U + V + 2 * (sqrt U * sqrt V)).
  - unfold U, V in *; nra.
  - simpl. rewrite !Rmult_1_r. ring_simplify. rewrite !pow2_sqrt by auto. 
    replace (sqrt U ^ 2) with U by (rewrite <- (sqrt_sqrt U) at 1 by auto; ring).
    replace (sqrt V ^ 2) with V by (rewrite <- (sqrt_sqrt V) at 1 by auto; ring). ring.
Qed.

Lemma enorm_scal c v : enorm (c * fst v, c * snd v) = Rabs c * enorm v.
Proof.
  unfold enorm; simpl. rewrite <- (sqrt_Rsqr_abs c), <- sqrt_mult by
    (apply Rle_0_sqr || (apply Rplus_le_le_0_compat; apply pow2_ge_0)).
  f_equal. unfold Rsqr; ring.
Qed.

Lemma enorm_box_sq v : -1 <= fst v <= 1 -> -1 <= snd v <= 1 -> enorm v <= sqrt 2.
Proof.
  intros H1 H2. unfold enorm. apply sqrt_le_1_alt. nra.
Qed.

(** [L * enorm b < enorm a] from the squared inequality. *)
Lemma enorm_gt_of_sq (L : R) a b :
  0 <= L -> L ^ 2 * (fst b ^ 2 + snd b ^ 2) < fst a ^ 2 + snd a ^ 2 -> L * enorm b < enorm a.
Proof.
  intros HL Hsq. unfold enorm.
  rewrite <- (sqrt_pow2 L HL) at 1. rewrite <- sqrt_mult by (apply pow2_ge_0 || nra).
  apply sqrt_lt_1_alt. split; [apply Rmult_le_pos; [apply pow2_ge_0 | nra] | exact Hsq].
Qed.

(** ** The paper's instance *)

Definition loss (w1 w2 : R) : R := / 2 * (relu w1 + relu w2 - 1) ^ 2.

Definition grad1 (w1 w2 : R) : R := (relu w1 + relu w2 - 1) * H w1.
Definition grad2 (w1 w2 : R) : R := (relu w1 + relu w2 - 1) * H w2.
Definition grad (th : R * R) : R * R := (grad1 (fst th) (snd th), grad2 (fst th) (snd th)).

Definition off_kink (th : R * R) : Prop := fst th <> 0 /\ snd th <> 0.

(** [g] is the gradient of [f] at [th]: both partial derivatives, as Coquelicot
    derivatives.  Off the kink set [loss] is a polynomial near [th], so this is
    also its Frechet derivative. *)
Definition is_grad (f : R -> R -> R) (th g : R * R) : Prop :=
  is_derive (fun x => f x (snd th)) (fst th) (fst g) /\
  is_derive (fun y => f (fst th) y) (snd th) (snd g).

Lemma is_derive_half_sq_relu (u d t0 o : R) :
  u <> 0 ->
  is_derive (fun t => / 2 * (relu (u + d * (t - t0)) + o) ^ 2) t0 ((relu u + o) * H u * d).
Proof.
  intros Hu.
  apply is_derive_ext_loc with (f := fun t => / 2 * (H u * (u + d * (t - t0)) + o) ^ 2).
  - apply filter_imp with (2 := locally_H u d t0 Hu). intros t Ht.
    rewrite (relu_H (u + d * (t - t0))), Ht. reflexivity.
  - auto_derive; auto. rewrite relu_H. field.
Qed.

Theorem grad_is_gradient th : off_kink th -> is_grad loss th (grad th).
Proof.
  destruct th as [w1 w2]; intros [H1 H2]; unfold is_grad, loss, grad, grad1, grad2; cbn [fst snd]; split.
  - apply is_derive_ext with (f := fun x => / 2 * (relu (w1 + 1 * (x - w1)) + (relu w2 - 1)) ^ 2).
    { assert (E : forall x : R, / 2 * (relu (w1 + 1 * (x - w1)) + (relu w2 - 1)) ^ 2 = / 2 * (relu x + relu w2 - 1) ^ 2)
        by (intros x; replace (w1 + 1 * (x - w1)) with x by ring; ring). intros t; apply E. }
    replace ((relu w1 + relu w2 - 1) * H w1) with ((relu w1 + (relu w2 - 1)) * H w1 * 1) by ring.
    apply is_derive_half_sq_relu; exact H1.
  - apply is_derive_ext with (f := fun y => / 2 * (relu (w2 + 1 * (y - w2)) + (relu w1 - 1)) ^ 2).
    { assert (E : forall x : R, / 2 * (relu (w2 + 1 * (x - w2)) + (relu w1 - 1)) ^ 2 = / 2 * (relu w1 + relu x - 1) ^ 2)
        by (intros x; replace (w2 + 1 * (x - w2)) with x by ring; ring). intros t; apply E. }
    replace ((relu w1 + relu w2 - 1) * H w2) with ((relu w2 + (relu w1 - 1)) * H w2 * 1) by ring.
    apply is_derive_half_sq_relu; exact H2.
Qed.

(** The Hessian off the kink set: entries (h11, h12, h21, h22). *)
Definition hess (th : R * R) : R * R * R * R :=
  let (w1, w2) := th in (H w1, H w1 * H w2, H w1 * H w2, H w2).

Definition is_hessian (th : R * R) (h : R * R * R * R) : Prop :=
  let '(h11, h12, h21, h22) := h in
  is_derive (fun x => grad1 x (snd th)) (fst th) h11 /\
  is_derive (fun y => grad1 (fst th) y) (snd th) h12 /\
  is_derive (fun x => grad2 x (snd th)) (fst th) h21 /\
  is_derive (fun y => grad2 (fst th) y) (snd th) h22.

Lemma H_idem x : H x * H x = H x.
Proof. destruct (H_01 x) as [-> | ->]; ring. Qed.

Lemma is_derive_ext_R (f g : R -> R) (x l : R) :
  (forall t : R, f t = g t) -> is_derive f x l -> is_derive g x l.
Proof. intros E D. apply is_derive_ext with (f := f); auto. Qed.

Lemma locally_H_at (u : R) : u <> 0 -> locally u (fun t => H t = H u).
Proof.
  intros Hu. apply filter_imp with (2 := locally_H u 1 u Hu). intros t Ht.
  assert (E : forall x : R, u + 1 * (x - u) = x) by (intros; ring). rewrite E in Ht. exact Ht.
Qed.

Lemma is_derive_relu_H (u c : R) : u <> 0 -> is_derive (fun x => (relu x + c) * H x) u (H u).
Proof.
  intros Hu. apply is_derive_ext_loc with (f := fun x => (H u * x + c) * H u).
  - apply filter_imp with (2 := locally_H_at u Hu). intros t Ht. rewrite (relu_H t), Ht. reflexivity.
  - auto_derive; auto. rewrite <- (H_idem u) at 3. ring.
Qed.

Lemma is_derive_relu_k (u c k : R) : u <> 0 -> is_derive (fun x => (relu x + c) * k) u (H u * k).
Proof.
  intros Hu. apply is_derive_ext_loc with (f := fun x => (H u * x + c) * k).
  - apply filter_imp with (2 := locally_H_at u Hu). intros t Ht. rewrite (relu_H t), Ht. reflexivity.
  - auto_derive; auto. ring.
Qed.

Theorem hess_is_hessian th : off_kink th -> is_hessian th (hess th).
Proof.
  destruct th as [w1 w2]; intros [H1 H2]; unfold is_hessian, hess, grad1, grad2; cbn [fst snd] in *.
  split; [| split; [| split]].
  - refine (is_derive_ext_R (fun x => (relu x + (relu w2 - 1)) * H x) _ _ _ _ _); [intros; ring |].
    apply is_derive_relu_H; exact H1.
  - refine (is_derive_ext_R (fun y => (relu y + (relu w1 - 1)) * H w1) _ _ _ _ _); [intros; ring |].
    rewrite (Rmult_comm (H w1)). apply is_derive_relu_k; exact H2.
  - refine (is_derive_ext_R (fun x => (relu x + (relu w2 - 1)) * H w2) _ _ _ _ _); [intros; ring |].
    apply is_derive_relu_k; exact H1.
  - refine (is_derive_ext_R (fun y => (relu y + (relu w1 - 1)) * H y) _ _ _ _ _); [intros; ring |].
    apply is_derive_relu_H; exact H2.
Qed.

(** ** Gradient descent on the instance *)

Definition gd_step (eta : R) (th : R * R) : R * R :=
  (fst th - eta * fst (grad th), snd th - eta * snd (grad th)).

Fixpoint gd (eta : R) (th0 : R * R) (t : nat) : R * R :=
  match t with O => th0 | S t' => gd_step eta (gd eta th0 t') end.



(** ** Clarke subdifferential: convex hull of the limits of gradients *)

Definition seq_to (s : nat -> R * R) (p : R * R) : Prop :=
  is_lim_seq (fun k => fst (s k)) (fst p) /\ is_lim_seq (fun k => snd (s k)) (snd p).

(** [g] is a limit of gradients at [th]: [grad (s k) -> g] along a sequence [s k -> th] off the kink set
    (where [grad] is the true gradient, [grad_is_gradient]). *)
Definition limgrad (th g : R * R) : Prop :=
  exists s : nat -> R * R, (forall k, off_kink (s k)) /\ seq_to s th /\ seq_to (fun k => grad (s k)) g.

Definition conv (S : R * R -> Prop) (g : R * R) : Prop :=
  exists (n : nat) (lam : nat -> R) (p : nat -> R * R),
    (forall k, (k < n)%nat -> 0 <= lam k /\ S (p k)) /\ sumR n lam = 1 /\
    fst g = sumR n (fun k => lam k * fst (p k)) /\ snd g = sumR n (fun k => lam k * snd (p k)).

Definition clarke (th : R * R) : R * R -> Prop := conv (limgrad th).

Lemma conv_box (S : R * R -> Prop) a b c d :
  (forall g, S g -> a <= fst g <= b /\ c <= snd g <= d) ->
  forall g, conv S g -> a <= fst g <= b /\ c <= snd g <= d.
Proof.
  intros HS g (n & lam & p & Hk & Hs & E1 & E2). rewrite E1, E2. split.
  - apply sumR_convex; auto. intros k Hk'. destruct (Hk k Hk') as [Hl Hp]. split; auto. apply (HS _ Hp).
  - apply sumR_convex; auto. intros k Hk'. destruct (Hk k Hk') as [Hl Hp]. split; auto. apply (HS _ Hp).
Qed.

Lemma conv_of_four (P : R * R -> Prop) p0 p1 p2 p3 l0 l1 l2 l3 g :
  P p0 -> P p1 -> P p2 -> P p3 -> 0 <= l0 -> 0 <= l1 -> 0 <= l2 -> 0 <= l3 -> l0 + l1 + l2 + l3 = 1 ->
  fst g = l0 * fst p0 + l1 * fst p1 + l2 * fst p2 + l3 * fst p3 ->
  snd g = l0 * snd p0 + l1 * snd p1 + l2 * snd p2 + l3 * snd p3 -> conv P g.
Proof.
  intros. exists 4%nat, (fun k => match k with 0 => l0 | 1 => l1 | 2 => l2 | _ => l3 end)%nat,
    (fun k => match k with 0 => p0 | 1 => p1 | 2 => p2 | _ => p3 end)%nat.
  split. { intros [|[|[|[|j]]]] Hj; simpl; split; assumption. }
  split. { simpl; lra. }
  split; simpl; lra.
Qed.

(** The sequence 1/(k+2) > 0 tends to 0: used to approach a kink from inside a region. *)
Definition e_seq (k : nat) : R := / (INR k + 2).

Lemma e_seq_pos k : 0 < e_seq k.
Proof. unfold e_seq. apply Rinv_0_lt_compat. pose proof (pos_INR k). lra. Qed.

Lemma e_seq_le k : e_seq k <= / 2.
Proof. unfold e_seq. apply Rinv_le_contravar; [lra | pose proof (pos_INR k); lra]. Qed.

Lemma lim_e_seq : is_lim_seq e_seq 0.
Proof.
  unfold e_seq. replace (Finite 0) with (Rbar_inv p_infty) by reflexivity.
  apply is_lim_seq_inv; [| discriminate].
  eapply is_lim_seq_plus; [apply is_lim_seq_INR | apply is_lim_seq_const | reflexivity].
Qed.

Lemma lim_affine_e (a b : R) : is_lim_seq (fun k => a + b * e_seq k) a.
Proof.
  pose proof (is_lim_seq_scal_l e_seq b 0 lim_e_seq) as Hb. simpl in Hb. rewrite Rmult_0_r in Hb.
  pose proof (is_lim_seq_plus' (fun _ => a) (fun k => b * e_seq k) a 0 (is_lim_seq_const a) Hb) as Hs.
  rewrite Rplus_0_r in Hs. exact Hs.
Qed.

(** A limit of a sequence eventually in [[a, b]] lies in [[a, b]]. *)
Lemma lim_in_interval (u : nat -> R) (l a b : R) :
  is_lim_seq u l -> (exists N, forall k, (N <= k)%nat -> a <= u k <= b) -> a <= l <= b.
Proof.
  intros Hu [N HN]. split.
  - apply (is_lim_seq_le_loc (fun _ => a) u a l); [exists N; intros; apply HN; auto
      | apply is_lim_seq_const | exact Hu].
  - apply (is_lim_seq_le_loc u (fun _ => b) l b); [exists N; intros; apply HN; auto
      | exact Hu | apply is_lim_seq_const].
Qed.

Lemma eventually_close (u : nat -> R) (l : R) (eps : posreal) :
  is_lim_seq u l -> exists N, forall k, (N <= k)%nat -> l - eps < u k < l + eps.
Proof.
  intros Hu. apply is_lim_seq_spec in Hu. destruct (Hu eps) as [N HN]. exists N. intros k Hk.
  specialize (HN k Hk). apply Rabs_lt_between' in HN. lra.
Qed.



(** ** Tactics: rewrite every [relu x] / [H x] whose sign [lra] can decide *)

Ltac relu_simpl :=
  repeat match goal with
  | |- context [relu ?x] => (rewrite (relu_pos x) by lra) || (rewrite (relu_neg x) by lra)
  | |- context [H ?x] => (rewrite (H_pos x) by lra) || (rewrite (H_neg x) by lra)
  end.

Ltac relu_cases x :=
  destruct (Rle_or_lt 0 x); [rewrite (relu_pos x) by lra | rewrite (relu_neg x) by lra].

(** ** Limits of gradients along [x + c e_k] *)

Lemma seq_to_affine x1 x2 c1 c2 :
  seq_to (fun k => (x1 + c1 * e_seq k, x2 + c2 * e_seq k)) (x1, x2).
Proof. split; cbn [fst snd]; apply lim_affine_e. Qed.

Lemma limgrad_affine x1 x2 c1 c2 a1 b1 a2 b2 :
  (forall k, off_kink (x1 + c1 * e_seq k, x2 + c2 * e_seq k)) ->
  (forall k, grad (x1 + c1 * e_seq k, x2 + c2 * e_seq k) = (a1 + b1 * e_seq k, a2 + b2 * e_seq k)) ->
  limgrad (x1, x2) (a1, a2).
Proof.
  intros Hoff Hg. exists (fun k => (x1 + c1 * e_seq k, x2 + c2 * e_seq k)).
  split; [exact Hoff | split; [apply seq_to_affine |]].
  split; cbn [fst snd].
  - apply is_lim_seq_ext with (u := fun k => a1 + b1 * e_seq k); [intros k; rewrite Hg; reflexivity | apply lim_affine_e].
  - apply is_lim_seq_ext with (u := fun k => a2 + b2 * e_seq k); [intros k; rewrite Hg; reflexivity | apply lim_affine_e].
Qed.

(** Backpropagation with the convention relu'(0) = s. *)
Definition relu_deriv (s x : R) : R := if Rlt_dec 0 x then 1 else if Rlt_dec x 0 then 0 else s.

Definition backprop (s : R) (th : R * R) : R * R :=
  let r := relu (fst th) + relu (snd th) - 1 in (r * relu_deriv s (fst th), r * relu_deriv s (snd th)).

Lemma enorm_0x v : enorm (0, v) = Rabs v.
Proof. unfold enorm; simpl. rewrite <- sqrt_Rsqr_abs. f_equal. unfold Rsqr; ring. Qed.

Lemma enorm_ge_snd v : Rabs (snd v) <= enorm v.
Proof.
  unfold enorm. rewrite <- sqrt_Rsqr_abs. apply sqrt_le_1_alt. unfold Rsqr. pose proof (pow2_ge_0 (fst v)). nra.
Qed.

Lemma enorm_ge_fst v : Rabs (fst v) <= enorm v.
Proof.
  unfold enorm. rewrite <- sqrt_Rsqr_abs. apply sqrt_le_1_alt. unfold Rsqr. pose proof (pow2_ge_0 (snd v)). nra.
Qed.

Lemma enorm_le_sum v : enorm v <= Rabs (fst v) + Rabs (snd v).
Proof.
  unfold enorm. rewrite <- (sqrt_pow2 (Rabs (fst v) + Rabs (snd v))) by (pose proof (Rabs_pos (fst v));
    pose proof (Rabs_pos (snd v)); lra).
  apply sqrt_le_1_alt. rewrite <- (pow2_abs (fst v)), <- (pow2_abs (snd v)).
  pose proof (Rabs_pos (fst v)); pose proof (Rabs_pos (snd v)). nra.
Qed.

(** The dead start: both neurons inactive, the gradient is 0 and GD never moves. *)
Lemma dead_run eta eps : 0 < eps -> forall t, gd eta (- eps, - eps) t = (- eps, - eps).
Proof.
  intros He t. induction t as [| t IH]; simpl; [reflexivity |]. rewrite IH.
  unfold gd_step, grad, grad1, grad2; cbn [fst snd]. relu_simpl. f_equal; ring.
Qed.
