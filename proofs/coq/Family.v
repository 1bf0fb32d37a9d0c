(** * The one-hidden-layer family: the gradient jumps across one neuron's kink.

    Everything is symbolic.  [n] data points [(x k, y k)]; neuron [j] has output
    weight [a], and its pre-activation at data point [k] is
    [z k + c k * (p - p0)] along the coordinate [p] that is moved ([c k = 1]
    for the bias, [c k = x k] for an input weight); [o k] is the output of
    the other neurons at [x k] (they do not depend on [p]).

    The activation is a kink with slope [l] left of 0 and [r] right of it,
    [kact l r v = l v + (r - l) relu v], [0 <= l /\ l <= r /\ r <= 1]: ReLU is
    [kact 0 1] (used by C1 and [Network.v]), LeakyReLU(alpha) is [kact alpha 1]
    (X1).  The loss along the line is
    [kline_loss = 1/(2n) sum_k (a kact(z k + c k (p - p0)) + o k - y k)^2].

    [kline_partial l r d p] is the partial derivative with respect to a
    coordinate with coefficients [d] (a theorem: [is_derive_kline_loss]).
    [kink_jump_estimate]: at a kink point ([z i = 0], every other [z k <> 0])
    the partial derivative jumps by [(r - l) a r_i sgn(c i) d i / n],
    [r_i = o i - y i], up to [Kc s]; [kink_no_lipschitz_line]: when [l < r],
    [a <> 0], [r_i <> 0] no Lipschitz constant bounds it.  [line_loss],
    [line_partial], [no_lipschitz_line], [jump_limit] are the ReLU instances. *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib.
Open Scope R_scope.

Definition pre (z c : nat -> R) (p0 p : R) (k : nat) : R := z k + c k * (p - p0).

(** ** A kink with slopes [l] and [r] *)

Definition kact (l r v : R) : R := l * v + (r - l) * relu v.
Definition kslope (l r v : R) : R := l + (r - l) * H v.

Lemma kact_relu v : kact 0 1 v = relu v.
Proof. unfold kact; ring. Qed.

Lemma kslope_relu v : kslope 0 1 v = H v.
Proof. unfold kslope; ring. Qed.

Lemma kact_lip l r u v : 0 <= l /\ l <= r /\ r <= 1 -> Rabs (kact l r u - kact l r v) <= Rabs (u - v).
Proof.
  intros Hlr. unfold kact.
  replace (l * u + (r - l) * relu u - (l * v + (r - l) * relu v))
    with (l * (u - v) + (r - l) * (relu u - relu v)) by ring.
  eapply Rle_trans; [apply Rabs_triang |].
  rewrite !Rabs_mult, (Rabs_pos_eq l), (Rabs_pos_eq (r - l)) by lra.
  pose proof (relu_lip u v). pose proof (Rabs_pos (u - v)). nra.
Qed.

Lemma kslope_bound l r v : 0 <= l /\ l <= r /\ r <= 1 -> Rabs (kslope l r v) <= 1.
Proof.
  intros Hlr. unfold kslope. destruct (H_01 v) as [-> | ->]; rewrite Rabs_pos_eq by lra; lra.
Qed.

Definition kline_loss l r n a (z c o y : nat -> R) p0 p : R :=
  / (2 * INR n) * sumR n (fun k => (a * kact l r (pre z c p0 p k) + o k - y k) ^ 2).

Definition kline_partial l r n a (z c o y : nat -> R) p0 (d : nat -> R) p : R :=
  / INR n * sumR n (fun k => (a * kact l r (pre z c p0 p k) + o k - y k) * (a * kslope l r (pre z c p0 p k) * d k)).

Lemma is_derive_sq_kact (l r a u d t0 o : R) :
  u <> 0 ->
  is_derive (fun t => (a * kact l r (u + d * (t - t0)) + o) ^ 2) t0
            (2 * (a * kact l r u + o) * (a * kslope l r u * d)).
Proof.
  intros Hu.
  apply is_derive_ext_loc with
    (f := fun t => (a * (l * (u + d * (t - t0)) + (r - l) * (H u * (u + d * (t - t0)))) + o) ^ 2).
  - apply filter_imp with (2 := locally_H u d t0 Hu). intros t Ht.
    unfold kact. rewrite (relu_H (u + d * (t - t0))), Ht. reflexivity.
  - auto_derive; auto. unfold kact, kslope. rewrite relu_H. ring.
Qed.

(** The derivative of a squared-residual sum along any coordinate, off the kinks. *)
Lemma is_derive_ksum_sq l r n a (u d o y : nat -> R) t0 :
  (0 < n)%nat -> (forall k, (k < n)%nat -> u k <> 0) ->
  is_derive (fun t => / (2 * INR n) * sumR n (fun k => (a * kact l r (u k + d k * (t - t0)) + o k - y k) ^ 2)) t0
            (/ INR n * sumR n (fun k => (a * kact l r (u k) + o k - y k) * (a * kslope l r (u k) * d k))).
Proof.
  intros Hn Hu.
  assert (D : is_derive (fun t => sumR n (fun k => (a * kact l r (u k + d k * (t - t0)) + o k - y k) ^ 2)) t0
                (sumR n (fun k => 2 * ((a * kact l r (u k) + o k - y k) * (a * kslope l r (u k) * d k))))).
  { apply (is_derive_sumR n (fun k t => (a * kact l r (u k + d k * (t - t0)) + o k - y k) ^ 2)).
    intros k Hk.
    apply is_derive_ext_R with (f := fun t => (a * kact l r (u k + d k * (t - t0)) + (o k - y k)) ^ 2); [intros; ring |].
    replace (2 * ((a * kact l r (u k) + o k - y k) * (a * kslope l r (u k) * d k)))
      with (2 * (a * kact l r (u k) + (o k - y k)) * (a * kslope l r (u k) * d k)) by ring.
    apply is_derive_sq_kact, Hu, Hk. }
  pose proof (is_derive_scal _ t0 (/ (2 * INR n)) _ D) as D2.
  assert (Hn' : INR n <> 0) by (apply not_0_INR; lia).
  replace (/ INR n * sumR n (fun k => (a * kact l r (u k) + o k - y k) * (a * kslope l r (u k) * d k)))
    with (scal (/ (2 * INR n)) (sumR n (fun k => 2 * ((a * kact l r (u k) + o k - y k) * (a * kslope l r (u k) * d k))))).
  - exact D2.
  - unfold scal; simpl; unfold mult; simpl. rewrite sumR_scal. field. exact Hn'.
Qed.

Theorem is_derive_kline_loss l r n a z c o y p0 p :
  (0 < n)%nat -> (forall k, (k < n)%nat -> pre z c p0 p k <> 0) ->
  is_derive (kline_loss l r n a z c o y p0) p (kline_partial l r n a z c o y p0 c p).
Proof.
  intros Hn Hu. unfold kline_partial.
  apply is_derive_ext_R with
    (f := fun t => / (2 * INR n) * sumR n (fun k => (a * kact l r (pre z c p0 p k + c k * (t - p)) + o k - y k) ^ 2)).
  - intros t. unfold kline_loss. f_equal. apply sumR_ext. intros k _. unfold pre.
    replace (z k + c k * (p - p0) + c k * (t - p)) with (z k + c k * (t - p0)) by ring. reflexivity.
  - apply is_derive_ksum_sq; auto.
Qed.

(** ** ReLU: the loss and partial derivative along the line *)

Definition line_loss n a (z c o y : nat -> R) p0 p : R :=
  / (2 * INR n) * sumR n (fun k => (a * relu (pre z c p0 p k) + o k - y k) ^ 2).

Definition line_partial n a (z c o y : nat -> R) p0 (d : nat -> R) p : R :=
  / INR n * sumR n (fun k => (a * relu (pre z c p0 p k) + o k - y k) * (a * H (pre z c p0 p k) * d k)).

Lemma line_partial_kink n a z c o y p0 d p :
  line_partial n a z c o y p0 d p = kline_partial 0 1 n a z c o y p0 d p.
Proof.
  unfold line_partial, kline_partial. f_equal. apply sumR_ext. intros k _. rewrite kact_relu, kslope_relu. reflexivity.
Qed.

Lemma is_derive_sum_sq n a (u d o y : nat -> R) t0 :
  (0 < n)%nat -> (forall k, (k < n)%nat -> u k <> 0) ->
  is_derive (fun t => / (2 * INR n) * sumR n (fun k => (a * relu (u k + d k * (t - t0)) + o k - y k) ^ 2)) t0
            (/ INR n * sumR n (fun k => (a * relu (u k) + o k - y k) * (a * H (u k) * d k))).
Proof.
  intros Hn Hu.
  apply is_derive_ext_R with
    (f := fun t => / (2 * INR n) * sumR n (fun k => (a * kact 0 1 (u k + d k * (t - t0)) + o k - y k) ^ 2)).
  { intros t. f_equal. apply sumR_ext. intros k _. rewrite kact_relu. reflexivity. }
  replace (/ INR n * sumR n (fun k => (a * relu (u k) + o k - y k) * (a * H (u k) * d k)))
    with (/ INR n * sumR n (fun k => (a * kact 0 1 (u k) + o k - y k) * (a * kslope 0 1 (u k) * d k))).
  - apply is_derive_ksum_sq; assumption.
  - f_equal. apply sumR_ext. intros k _. rewrite kact_relu, kslope_relu. reflexivity.
Qed.

Theorem is_derive_line_loss n a z c o y p0 p :
  (0 < n)%nat -> (forall k, (k < n)%nat -> pre z c p0 p k <> 0) ->
  is_derive (line_loss n a z c o y p0) p (line_partial n a z c o y p0 c p).
Proof.
  intros Hn Hu. rewrite line_partial_kink.
  apply is_derive_ext_R with (f := kline_loss 0 1 n a z c o y p0).
  - intros t. unfold kline_loss, line_loss. f_equal. apply sumR_ext. intros k _. rewrite kact_relu. reflexivity.
  - apply is_derive_kline_loss; assumption.
Qed.

(** A positive lower bound for finitely many positive numbers (all but index [i]). *)
Lemma exists_delta n i (f : nat -> R) :
  (forall k, (k < n)%nat -> k <> i -> 0 < f k) ->
  exists delta, 0 < delta /\ forall k, (k < n)%nat -> k <> i -> delta <= f k.
Proof.
  induction n; intros Hf.
  - exists 1. split; [lra | intros; lia].
  - destruct IHn as (dl & Hdl & Hk).
    + intros k Hk Hki. apply Hf; auto.
    + destruct (Nat.eq_dec n i) as [-> | Hni].
      * exists dl. split; auto. intros k Hk' Hki. apply Hk; [lia | exact Hki].
      * exists (Rmin dl (f n)). split; [apply Rmin_glb_lt; auto; apply Hf; auto |].
        intros k Hk' Hki. destruct (Nat.eq_dec k n) as [-> | Hkn].
        -- apply Rmin_r.
        -- eapply Rle_trans; [apply Rmin_l | apply Hk; [lia | exact Hki]].
Qed.

Definition sgn (v : R) : R := H v - H (- v).

Lemma sgn_pos v : 0 < v -> sgn v = 1.
Proof. intros; unfold sgn; rewrite H_pos, H_neg by lra; ring. Qed.

Lemma sgn_neg v : v < 0 -> sgn v = -1.
Proof. intros; unfold sgn; rewrite H_neg, H_pos by lra; ring. Qed.

Lemma sgn_abs v : v <> 0 -> Rabs (sgn v) = 1.
Proof.
  intros Hv. destruct (Rlt_or_le 0 v).
  - rewrite sgn_pos by lra. apply Rabs_R1.
  - rewrite sgn_neg by lra. rewrite Rabs_left by lra. ring.
Qed.

Lemma same_sign z v : Rabs v < Rabs z -> z + v <> 0 /\ H (z + v) = H z.
Proof.
  intros Hv. destruct (Rlt_or_le 0 z).
  - rewrite (Rabs_pos_eq z) in Hv by lra. apply Rabs_def2 in Hv.
    split; [intro; lra | rewrite !H_pos by lra; reflexivity].
  - assert (z < 0) by (pose proof (Rabs_pos v); destruct (Req_dec z 0) as [->|]; [rewrite Rabs_R0 in Hv |]; lra).
    rewrite (Rabs_left z) in Hv by lra. apply Rabs_def2 in Hv.
    split; [intro; lra | rewrite !H_neg by lra; reflexivity].
Qed.

Section Kink.
  Variables (l r : R) (n i : nat) (a p0 : R) (z c o y : nat -> R).
  Hypothesis Hn : (0 < n)%nat.
  Hypothesis Hi : (i < n)%nat.
  Hypothesis Hzi : z i = 0.
  Hypothesis Hci : c i <> 0.
  Hypothesis Hz : forall k, (k < n)%nat -> k <> i -> z k <> 0.

  (** [delta]: for [0 < s < delta] the pair [p0 +- s] crosses only the kink of data point [i]. *)
  Lemma kink_delta :
    exists delta, 0 < delta /\ forall s, 0 < s < delta ->
      forall k, (k < n)%nat -> k <> i ->
        pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0 /\
        H (pre z c p0 (p0 + s) k) = H (z k) /\ H (pre z c p0 (p0 - s) k) = H (z k).
  Proof.
    destruct (exists_delta n i (fun k => Rabs (z k) / (Rabs (c k) + 1))) as (dl & Hdl & Hk).
    { intros k Hk Hki. apply Rdiv_lt_0_compat; [apply Rabs_pos_lt, Hz; auto | pose proof (Rabs_pos (c k)); lra]. }
    exists dl. split; auto. intros s Hs k Hkn Hki.
    specialize (Hk k Hkn Hki).
    assert (Hc1 : 0 < Rabs (c k) + 1) by (pose proof (Rabs_pos (c k)); lra).
    assert (Hcs : Rabs (c k) * s < Rabs (z k)).
    { assert (Rabs (z k) / (Rabs (c k) + 1) * (Rabs (c k) + 1) = Rabs (z k)) by (field; lra).
      pose proof (Rabs_pos (c k)). nra. }
    unfold pre. replace (p0 + s - p0) with s by ring. replace (p0 - s - p0) with (- s) by ring.
    assert (A1 : Rabs (c k * s) < Rabs (z k)) by (rewrite Rabs_mult, (Rabs_pos_eq s) by lra; exact Hcs).
    assert (A2 : Rabs (c k * - s) < Rabs (z k)) by (rewrite Rabs_mult, Rabs_Ropp, (Rabs_pos_eq s) by lra; exact Hcs).
    destruct (same_sign _ _ A1). destruct (same_sign _ _ A2). auto.
  Qed.

  Definition Kc (d : nat -> R) : R := 2 * a ^ 2 * / INR n * sumR n (fun k => Rabs (c k) * Rabs (d k)).

  Lemma Kc_nonneg d : 0 <= Kc d.
  Proof.
    unfold Kc. apply Rmult_le_pos.
    - apply Rmult_le_pos; [nra | apply Rlt_le, Rinv_0_lt_compat, lt_0_INR, Hn].
    - apply sumR_nonneg. intros; apply Rmult_le_pos; apply Rabs_pos.
  Qed.

  Lemma off_kinks_i s : 0 < s -> pre z c p0 (p0 + s) i <> 0 /\ pre z c p0 (p0 - s) i <> 0.
  Proof.
    intros Hs. unfold pre; rewrite Hzi. split; intro E.
    - apply Hci. replace (0 + c i * (p0 + s - p0)) with (c i * s) in E by ring.
      apply Rmult_integral in E. destruct E; [auto | lra].
    - apply Hci. replace (0 + c i * (p0 - s - p0)) with (- (c i * s)) in E by ring.
      assert (E2 : c i * s = 0) by lra. apply Rmult_integral in E2. destruct E2; [auto | lra].
  Qed.

  Hypothesis Hslopes : 0 <= l /\ l <= r /\ r <= 1.

  (** The partial derivative with coefficients [d] jumps by [(r - l) a r_i sgn(c i) d i / n], up to [Kc d * s]. *)
  Theorem kink_jump_estimate :
    exists delta, 0 < delta /\ forall s, 0 < s < delta ->
      (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
      forall d, Rabs (kline_partial l r n a z c o y p0 d (p0 + s) - kline_partial l r n a z c o y p0 d (p0 - s)
                      - (r - l) * a * (o i - y i) * sgn (c i) * d i / INR n) <= Kc d * s.
  Proof.
    destruct kink_delta as (dl & Hdl & Hk). exists dl. split; auto. intros s Hs. split.
    { intros k Hkn. destruct (Nat.eq_dec k i) as [-> | Hki]; [apply off_kinks_i; lra |].
      destruct (Hk s Hs k Hkn Hki) as (A & B & _). auto. }
    intros d. unfold kline_partial.
    set (T := fun k => (a * kact l r (pre z c p0 (p0 + s) k) + o k - y k) * (a * kslope l r (pre z c p0 (p0 + s) k) * d k)
                     - (a * kact l r (pre z c p0 (p0 - s) k) + o k - y k) * (a * kslope l r (pre z c p0 (p0 - s) k) * d k)).
    set (E := fun k => if Nat.eqb k i then (r - l) * a * (o i - y i) * sgn (c i) * d i else 0).
    assert (HE : sumR n E = (r - l) * a * (o i - y i) * sgn (c i) * d i) by (apply sumR_single; exact Hi).
    assert (Hn' : 0 < INR n) by (apply lt_0_INR; exact Hn).
    replace (/ INR n * sumR n (fun k => (a * kact l r (pre z c p0 (p0 + s) k) + o k - y k) * (a * kslope l r (pre z c p0 (p0 + s) k) * d k))
             - / INR n * sumR n (fun k => (a * kact l r (pre z c p0 (p0 - s) k) + o k - y k) * (a * kslope l r (pre z c p0 (p0 - s) k) * d k))
             - (r - l) * a * (o i - y i) * sgn (c i) * d i / INR n)
      with (/ INR n * sumR n (fun k => T k - E k)).
    2: { rewrite sumR_minus, HE. unfold T. rewrite sumR_minus. field. lra. }
    assert (Hterm : forall k, (k < n)%nat -> Rabs (T k - E k) <= 2 * a ^ 2 * (Rabs (c k) * Rabs (d k)) * s).
    { intros k Hkn. unfold T, E.
      assert (Ha2 : Rabs a * Rabs a = a ^ 2) by (rewrite <- Rabs_mult, Rabs_pos_eq; nra).
      destruct (Nat.eqb_spec k i) as [-> | Hki].
      - replace (pre z c p0 (p0 + s) i) with (c i * s) by (unfold pre; rewrite Hzi; ring).
        replace (pre z c p0 (p0 - s) i) with (- (c i * s)) by (unfold pre; rewrite Hzi; ring).
        assert (Bound : Rabs (a * a * (c i * s) * d i * (l * l + r * r)) <= 2 * a ^ 2 * (Rabs (c i) * Rabs (d i)) * s).
        { rewrite !Rabs_mult, (Rabs_pos_eq s), (Rabs_pos_eq (l * l + r * r)) by nra. rewrite Ha2.
          pose proof (Rabs_pos (c i)) as P1; pose proof (Rabs_pos (d i)) as P2.
          assert (0 <= a ^ 2 * (Rabs (c i) * Rabs (d i)) * s) by
            (apply Rmult_le_pos; [apply Rmult_le_pos; [apply pow2_ge_0 | apply Rmult_le_pos; apply Rabs_pos] | lra]).
          assert (l * l + r * r <= 2) by nra. nra. }
        destruct (Rlt_or_le 0 (c i)) as [Hc | Hc].
        + assert (Hcs : 0 < c i * s) by nra. rewrite sgn_pos by lra. unfold kact, kslope. relu_simpl.
          replace (_ - _ - _) with (a * a * (c i * s) * d i * (l * l + r * r)) by ring. exact Bound.
        + assert (Hc' : c i < 0) by (destruct Hc; [lra | exfalso; auto]).
          assert (Hcs : c i * s < 0) by nra. rewrite sgn_neg by lra. unfold kact, kslope. relu_simpl.
          replace (_ - _ - _) with (a * a * (c i * s) * d i * (l * l + r * r)) by ring. exact Bound.
      - destruct (Hk s Hs k Hkn Hki) as (_ & _ & HP & HM).
        assert (SP : kslope l r (pre z c p0 (p0 + s) k) = kslope l r (z k)) by (unfold kslope; rewrite HP; reflexivity).
        assert (SM : kslope l r (pre z c p0 (p0 - s) k) = kslope l r (z k)) by (unfold kslope; rewrite HM; reflexivity).
        rewrite SP, SM.
        replace (_ - _ - 0) with (a * a * kslope l r (z k) * d k
                                  * (kact l r (pre z c p0 (p0 + s) k) - kact l r (pre z c p0 (p0 - s) k))) by ring.
        pose proof (kact_lip l r (pre z c p0 (p0 + s) k) (pre z c p0 (p0 - s) k) Hslopes) as Hl.
        replace (pre z c p0 (p0 + s) k - pre z c p0 (p0 - s) k) with (2 * (c k * s)) in Hl by (unfold pre; ring).
        rewrite Rabs_mult, Rabs_mult, (Rabs_pos_eq 2), (Rabs_pos_eq s) in Hl by lra.
        rewrite !Rabs_mult.
        assert (Hh : Rabs (kslope l r (z k)) <= 1) by (apply kslope_bound; exact Hslopes).
        pose proof (Rabs_pos (kslope l r (z k))) as P1. pose proof (Rabs_pos (d k)) as P2. pose proof (Rabs_pos a) as P3.
        pose proof (Rabs_pos (c k)) as P4.
        pose proof (Rabs_pos (kact l r (pre z c p0 (p0 + s) k) - kact l r (pre z c p0 (p0 - s) k))) as P5.
        assert (P6 : Rabs a * Rabs a * Rabs (kslope l r (z k)) * Rabs (d k) <= a ^ 2 * Rabs (d k)).
        { rewrite Ha2. assert (0 <= a ^ 2 * Rabs (d k) * (1 - Rabs (kslope l r (z k)))) by
            (apply Rmult_le_pos; [apply Rmult_le_pos; [apply pow2_ge_0 | lra] | lra]). lra. }
        apply Rle_trans with (a ^ 2 * Rabs (d k) * Rabs (kact l r (pre z c p0 (p0 + s) k) - kact l r (pre z c p0 (p0 - s) k))).
        { apply Rmult_le_compat_r; [exact P5 | exact P6]. }
        apply Rle_trans with (a ^ 2 * Rabs (d k) * (2 * (Rabs (c k) * s))).
        { apply Rmult_le_compat_l; [apply Rmult_le_pos; [apply pow2_ge_0 | exact P2] | exact Hl]. }
        right; ring. }
    rewrite Rabs_mult, Rabs_pos_eq by (apply Rlt_le, Rinv_0_lt_compat; lra).
    eapply Rle_trans; [apply Rmult_le_compat_l; [apply Rlt_le, Rinv_0_lt_compat; lra | apply sumR_abs] |].
    eapply Rle_trans; [apply Rmult_le_compat_l; [apply Rlt_le, Rinv_0_lt_compat; lra | apply sumR_le; exact Hterm] |].
    unfold Kc. rewrite (sumR_ext n (fun k => 2 * a ^ 2 * (Rabs (c k) * Rabs (d k)) * s)
                               (fun k => (2 * a ^ 2 * s) * (Rabs (c k) * Rabs (d k)))) by (intros; ring).
    rewrite sumR_scal. right; ring.
  Qed.

  (** The jump of the gradient block [(partial_d1, partial_d2)]: [(r - l) a r_i sgn(c i) (d1 i, d2 i) / n]. *)
  Theorem kink_jump_limit (d : nat -> R) (eps : R) :
    0 < eps -> exists s0, 0 < s0 /\ forall s, 0 < s < s0 ->
      (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
      Rabs (kline_partial l r n a z c o y p0 d (p0 + s) - kline_partial l r n a z c o y p0 d (p0 - s)
            - (r - l) * a * (o i - y i) * sgn (c i) * d i / INR n) <= eps.
  Proof.
    intros He. destruct kink_jump_estimate as (dl & Hdl & Hest). pose proof (Kc_nonneg d) as HK.
    exists (Rmin dl (eps / (Kc d + 1))). split; [apply Rmin_glb_lt; [lra | apply Rdiv_lt_0_compat; lra] |].
    intros s Hs. assert (Hs1 : s < dl) by (eapply Rlt_le_trans; [apply Hs | apply Rmin_l]).
    assert (Hs2 : s < eps / (Kc d + 1)) by (eapply Rlt_le_trans; [apply Hs | apply Rmin_r]).
    destruct (Hest s (conj (proj1 Hs) Hs1)) as [Hoff Hb]. split; [exact Hoff |].
    eapply Rle_trans; [apply Hb |].
    assert (eps / (Kc d + 1) * (Kc d + 1) = eps) by (field; lra). nra.
  Qed.

  Hypothesis Hjump : l < r.
  Hypothesis Ha : a <> 0.
  Hypothesis Hr : o i - y i <> 0.

  (** No Lipschitz constant along the moved coordinate: the pair [p0 +- s] beats every [L]. *)
  Theorem kink_no_lipschitz_line (L : R) :
    0 < L -> exists s, 0 < s /\
      (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
      L * Rabs ((p0 + s) - (p0 - s)) <
        Rabs (kline_partial l r n a z c o y p0 c (p0 + s) - kline_partial l r n a z c o y p0 c (p0 - s)).
  Proof.
    intros HL. destruct kink_jump_estimate as (dl & Hdl & Hest).
    set (J := (r - l) * a * (o i - y i) * sgn (c i) * c i / INR n).
    assert (Hn' : 0 < INR n) by (apply lt_0_INR; exact Hn).
    assert (HJ : 0 < Rabs J).
    { apply Rabs_pos_lt. unfold J. unfold Rdiv. repeat apply Rmult_integral_contrapositive_currified; auto.
      - lra.
      - intro E. pose proof (sgn_abs (c i) Hci) as S. rewrite E, Rabs_R0 in S. lra.
      - apply Rinv_neq_0_compat; lra. }
    pose proof (Kc_nonneg c) as HK.
    set (s := Rmin (dl / 2) (Rabs J / (2 * (Kc c + 2 * L + 1)))).
    assert (Hs1 : 0 < s) by (apply Rmin_glb_lt; [lra | apply Rdiv_lt_0_compat; lra]).
    assert (Hs2 : s < dl) by (eapply Rle_lt_trans; [apply Rmin_l | lra]).
    assert (Hs3 : s * (Kc c + 2 * L + 1) <= Rabs J / 2).
    { assert (s <= Rabs J / (2 * (Kc c + 2 * L + 1))) by apply Rmin_r.
      assert (Rabs J / (2 * (Kc c + 2 * L + 1)) * (Kc c + 2 * L + 1) = Rabs J / 2) by (field; lra). nra. }
    exists s. destruct (Hest s (conj Hs1 Hs2)) as [Hoff Hb]. specialize (Hb c). fold J in Hb.
    split; [exact Hs1 | split; [exact Hoff |]].
    replace (p0 + s - (p0 - s)) with (2 * s) by ring. rewrite Rabs_pos_eq by lra.
    set (D := kline_partial l r n a z c o y p0 c (p0 + s) - kline_partial l r n a z c o y p0 c (p0 - s)) in *.
    assert (Rabs J <= Rabs D + Rabs (D - J)).
    { pose proof (Rabs_triang D (- (D - J))) as T. rewrite Rabs_Ropp in T. replace (D + - (D - J)) with J in T by ring.
      exact T. }
    nra.
  Qed.
End Kink.

(** ** The ReLU instances ([l = 0], [r = 1]) *)

Theorem no_lipschitz_line n i a p0 (z c o y : nat -> R) :
  (0 < n)%nat -> (i < n)%nat -> z i = 0 -> c i <> 0 -> (forall k, (k < n)%nat -> k <> i -> z k <> 0) ->
  a <> 0 -> o i - y i <> 0 ->
  forall L, 0 < L -> exists s, 0 < s /\
    (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
    L * Rabs ((p0 + s) - (p0 - s)) <
      Rabs (line_partial n a z c o y p0 c (p0 + s) - line_partial n a z c o y p0 c (p0 - s)).
Proof.
  intros Hn Hi Hzi Hci Hz Ha Hr L HL.
  destruct (kink_no_lipschitz_line 0 1 n i a p0 z c o y Hn Hi Hzi Hci Hz ltac:(lra) ltac:(lra) Ha Hr L HL)
    as (s & Hs & Hoff & Hlt).
  exists s. rewrite !line_partial_kink. auto.
Qed.

Theorem jump_limit n i a p0 (z c o y : nat -> R) :
  (0 < n)%nat -> (i < n)%nat -> z i = 0 -> c i <> 0 -> (forall k, (k < n)%nat -> k <> i -> z k <> 0) ->
  forall (d : nat -> R) eps, 0 < eps -> exists s0, 0 < s0 /\ forall s, 0 < s < s0 ->
    (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
    Rabs (line_partial n a z c o y p0 d (p0 + s) - line_partial n a z c o y p0 d (p0 - s)
          - a * (o i - y i) * sgn (c i) * d i / INR n) <= eps.
Proof.
  intros Hn Hi Hzi Hci Hz d eps He.
  destruct (kink_jump_limit 0 1 n i a p0 z c o y Hn Hi Hzi Hci Hz ltac:(lra) d eps He) as (s0 & Hs0 & J).
  exists s0. split; [exact Hs0 |]. intros s Hs. rewrite !line_partial_kink.
  replace (1 - 0) with 1 in J by ring. rewrite Rmult_1_l in J. apply J, Hs.
Qed.
