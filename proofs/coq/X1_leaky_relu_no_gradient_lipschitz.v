(** * X1 (OUR extension, not the paper's): C1 for LeakyReLU(alpha), 0 <= alpha < 1.

    The one-hidden-layer family of [Family.v] with neuron [j]'s ReLU replaced by
    [lrelu alpha v = alpha v + (1 - alpha) relu v], whose slope is
    [lslope alpha v = alpha + (1 - alpha) H v] off its kink.  Along the moved
    coordinate [p] the partial derivative of the loss is [line_partial_l]; at a
    kink point ([z i = 0], every other [z k <> 0]) it jumps by
    [(1 - alpha) a r sgn(c i) d i / n] ([r = o i - y i]), up to [Kc d * s], and the
    pair [p0 +- s] beats every Lipschitz constant [L] when [a <> 0], [r <> 0],
    [c i <> 0] (an input weight needs [x i <> 0]) and [0 <= alpha < 1].
    [is_derive_line_loss_l] proves that [line_partial_l] is the derivative of the
    line loss off the kinks, and [x1_leaky_c1] puts the two together. *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib Family.
Open Scope R_scope.

Definition lrelu (alpha v : R) : R := alpha * v + (1 - alpha) * relu v.
Definition lslope (alpha v : R) : R := alpha + (1 - alpha) * H v.

Definition line_partial_l n a alpha (z c o y : nat -> R) p0 (d : nat -> R) p : R :=
  / INR n * sumR n (fun k => (a * lrelu alpha (pre z c p0 p k) + o k - y k)
                             * (a * lslope alpha (pre z c p0 p k) * d k)).

Definition line_loss_l n a alpha (z c o y : nat -> R) p0 p : R :=
  / (2 * INR n) * sumR n (fun k => (a * lrelu alpha (pre z c p0 p k) + o k - y k) ^ 2).

Lemma is_derive_sq_lrelu (alpha a u d t0 o : R) :
  u <> 0 ->
  is_derive (fun t => (a * lrelu alpha (u + d * (t - t0)) + o) ^ 2) t0
            (2 * (a * lrelu alpha u + o) * (a * lslope alpha u * d)).
Proof.
  intros Hu.
  apply is_derive_ext_loc with
    (f := fun t => (a * (alpha * (u + d * (t - t0)) + (1 - alpha) * (H u * (u + d * (t - t0)))) + o) ^ 2).
  - apply filter_imp with (2 := locally_H u d t0 Hu). intros t Ht.
    unfold lrelu. rewrite (relu_H (u + d * (t - t0))), Ht. reflexivity.
  - auto_derive; auto. unfold lrelu, lslope. rewrite relu_H. ring.
Qed.

(** [line_partial_l] is the derivative of the line loss off the kinks. *)
Theorem is_derive_line_loss_l n a alpha z c o y p0 p :
  (0 < n)%nat -> (forall k, (k < n)%nat -> pre z c p0 p k <> 0) ->
  is_derive (line_loss_l n a alpha z c o y p0) p (line_partial_l n a alpha z c o y p0 c p).
Proof.
  intros Hn Hu. unfold line_partial_l.
  apply is_derive_ext_R with
    (f := fun t => / (2 * INR n) * sumR n (fun k => (a * lrelu alpha (pre z c p0 p k + c k * (t - p)) + o k - y k) ^ 2)).
  { intros t. unfold line_loss_l. f_equal. apply sumR_ext. intros k _. unfold pre.
    replace (z k + c k * (p - p0) + c k * (t - p)) with (z k + c k * (t - p0)) by ring. reflexivity. }
  assert (D : is_derive (fun t => sumR n (fun k => (a * lrelu alpha (pre z c p0 p k + c k * (t - p)) + o k - y k) ^ 2)) p
                (sumR n (fun k => 2 * ((a * lrelu alpha (pre z c p0 p k) + o k - y k) * (a * lslope alpha (pre z c p0 p k) * c k))))).
  { apply (is_derive_sumR n (fun k t => (a * lrelu alpha (pre z c p0 p k + c k * (t - p)) + o k - y k) ^ 2)).
    intros k Hk.
    apply is_derive_ext_R with (f := fun t => (a * lrelu alpha (pre z c p0 p k + c k * (t - p)) + (o k - y k)) ^ 2);
      [intros; ring |].
    replace (2 * ((a * lrelu alpha (pre z c p0 p k) + o k - y k) * (a * lslope alpha (pre z c p0 p k) * c k)))
      with (2 * (a * lrelu alpha (pre z c p0 p k) + (o k - y k)) * (a * lslope alpha (pre z c p0 p k) * c k)) by ring.
    apply is_derive_sq_lrelu, Hu, Hk. }
  pose proof (is_derive_scal _ p (/ (2 * INR n)) _ D) as D2.
  assert (Hn' : INR n <> 0) by (apply not_0_INR; lia).
  replace (/ INR n * sumR n (fun k => (a * lrelu alpha (pre z c p0 p k) + o k - y k) * (a * lslope alpha (pre z c p0 p k) * c k)))
    with (scal (/ (2 * INR n)) (sumR n (fun k => 2 * ((a * lrelu alpha (pre z c p0 p k) + o k - y k) * (a * lslope alpha (pre z c p0 p k) * c k))))).
  - exact D2.
  - unfold scal; simpl; unfold mult; simpl. rewrite sumR_scal. field. exact Hn'.
Qed.

Lemma lrelu_lip alpha u v : 0 <= alpha <= 1 -> Rabs (lrelu alpha u - lrelu alpha v) <= Rabs (u - v).
Proof.
  intros Ha. unfold lrelu.
  replace (alpha * u + (1 - alpha) * relu u - (alpha * v + (1 - alpha) * relu v))
    with (alpha * (u - v) + (1 - alpha) * (relu u - relu v)) by ring.
  eapply Rle_trans; [apply Rabs_triang |].
  rewrite !Rabs_mult, (Rabs_pos_eq alpha), (Rabs_pos_eq (1 - alpha)) by lra.
  pose proof (relu_lip u v). nra.
Qed.

Lemma lslope_bound alpha v : 0 <= alpha <= 1 -> Rabs (lslope alpha v) <= 1.
Proof.
  intros Ha. unfold lslope. destruct (H_01 v) as [-> | ->];
    rewrite Rabs_pos_eq by lra; lra.
Qed.

Section LeakyKink.
  Variables (n i : nat) (a alpha p0 : R) (z c o y : nat -> R).
  Hypothesis Hn : (0 < n)%nat.
  Hypothesis Hi : (i < n)%nat.
  Hypothesis Hzi : z i = 0.
  Hypothesis Hci : c i <> 0.
  Hypothesis Hz : forall k, (k < n)%nat -> k <> i -> z k <> 0.
  Hypothesis Halpha : 0 <= alpha < 1.

  (** The partial derivative with coefficients [d] jumps by [(1 - alpha) a r sgn(c i) d i / n], up to [Kc d * s]. *)
  Theorem leaky_jump_estimate :
    exists delta, 0 < delta /\ forall s, 0 < s < delta ->
      (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
      forall d, Rabs (line_partial_l n a alpha z c o y p0 d (p0 + s) - line_partial_l n a alpha z c o y p0 d (p0 - s)
                      - (1 - alpha) * a * (o i - y i) * sgn (c i) * d i / INR n) <= Kc n a c d * s.
  Proof.
    destruct (kink_delta n i p0 z c Hz) as (dl & Hdl & Hk). exists dl. split; auto. intros s Hs. split.
    { intros k Hkn. destruct (Nat.eq_dec k i) as [-> | Hki]; [apply off_kinks_i; auto; lra |].
      destruct (Hk s Hs k Hkn Hki) as (A & B & _). auto. }
    intros d. unfold line_partial_l.
    set (T := fun k => (a * lrelu alpha (pre z c p0 (p0 + s) k) + o k - y k) * (a * lslope alpha (pre z c p0 (p0 + s) k) * d k)
                     - (a * lrelu alpha (pre z c p0 (p0 - s) k) + o k - y k) * (a * lslope alpha (pre z c p0 (p0 - s) k) * d k)).
    set (E := fun k => if Nat.eqb k i then (1 - alpha) * a * (o i - y i) * sgn (c i) * d i else 0).
    assert (HE : sumR n E = (1 - alpha) * a * (o i - y i) * sgn (c i) * d i) by (apply sumR_single; exact Hi).
    assert (Hn' : 0 < INR n) by (apply lt_0_INR; exact Hn).
    replace (/ INR n * sumR n (fun k => (a * lrelu alpha (pre z c p0 (p0 + s) k) + o k - y k) * (a * lslope alpha (pre z c p0 (p0 + s) k) * d k))
             - / INR n * sumR n (fun k => (a * lrelu alpha (pre z c p0 (p0 - s) k) + o k - y k) * (a * lslope alpha (pre z c p0 (p0 - s) k) * d k))
             - (1 - alpha) * a * (o i - y i) * sgn (c i) * d i / INR n)
      with (/ INR n * sumR n (fun k => T k - E k)).
    2: { rewrite sumR_minus, HE. unfold T. rewrite sumR_minus. field. lra. }
    assert (Hterm : forall k, (k < n)%nat -> Rabs (T k - E k) <= 2 * a ^ 2 * (Rabs (c k) * Rabs (d k)) * s).
    { intros k Hkn. unfold T, E.
      assert (Ha2 : Rabs a * Rabs a = a ^ 2) by (rewrite <- Rabs_mult, Rabs_pos_eq; nra).
      destruct (Nat.eqb_spec k i) as [-> | Hki].
      - replace (pre z c p0 (p0 + s) i) with (c i * s) by (unfold pre; rewrite Hzi; ring).
        replace (pre z c p0 (p0 - s) i) with (- (c i * s)) by (unfold pre; rewrite Hzi; ring).
        assert (Bound : Rabs (a * a * (c i * s) * d i * (1 + alpha * alpha)) <= 2 * a ^ 2 * (Rabs (c i) * Rabs (d i)) * s).
        { rewrite !Rabs_mult, (Rabs_pos_eq s), (Rabs_pos_eq (1 + alpha * alpha)) by nra. rewrite Ha2.
          pose proof (Rabs_pos (c i)) as P1; pose proof (Rabs_pos (d i)) as P2.
          assert (0 <= a ^ 2 * (Rabs (c i) * Rabs (d i)) * s) by
            (apply Rmult_le_pos; [apply Rmult_le_pos; [apply pow2_ge_0 | apply Rmult_le_pos; apply Rabs_pos] | lra]).
          assert (alpha * alpha <= 1) by nra. nra. }
        destruct (Rlt_or_le 0 (c i)) as [Hc | Hc].
        + assert (Hcs : 0 < c i * s) by nra. rewrite sgn_pos by lra. unfold lrelu, lslope. relu_simpl.
          replace (_ - _ - _) with (a * a * (c i * s) * d i * (1 + alpha * alpha)) by ring. exact Bound.
        + assert (Hc' : c i < 0) by (destruct Hc; [lra | exfalso; auto]).
          assert (Hcs : c i * s < 0) by nra. rewrite sgn_neg by lra. unfold lrelu, lslope. relu_simpl.
          replace (_ - _ - _) with (a * a * (c i * s) * d i * (1 + alpha * alpha)) by ring. exact Bound.
      - destruct (Hk s Hs k Hkn Hki) as (_ & _ & HP & HM).
        assert (SP : lslope alpha (pre z c p0 (p0 + s) k) = lslope alpha (z k)) by (unfold lslope; rewrite HP; reflexivity).
        assert (SM : lslope alpha (pre z c p0 (p0 - s) k) = lslope alpha (z k)) by (unfold lslope; rewrite HM; reflexivity).
        rewrite SP, SM.
        replace (_ - _ - 0) with (a * a * lslope alpha (z k) * d k
                                  * (lrelu alpha (pre z c p0 (p0 + s) k) - lrelu alpha (pre z c p0 (p0 - s) k))) by ring.
        pose proof (lrelu_lip alpha (pre z c p0 (p0 + s) k) (pre z c p0 (p0 - s) k) ltac:(lra)) as Hl.
        replace (pre z c p0 (p0 + s) k - pre z c p0 (p0 - s) k) with (2 * (c k * s)) in Hl by (unfold pre; ring).
        rewrite Rabs_mult, Rabs_mult, (Rabs_pos_eq 2), (Rabs_pos_eq s) in Hl by lra.
        rewrite !Rabs_mult.
        assert (Hh : Rabs (lslope alpha (z k)) <= 1) by (apply lslope_bound; lra).
        pose proof (Rabs_pos (lslope alpha (z k))) as P1. pose proof (Rabs_pos (d k)) as P2. pose proof (Rabs_pos a) as P3.
        pose proof (Rabs_pos (c k)) as P4.
        pose proof (Rabs_pos (lrelu alpha (pre z c p0 (p0 + s) k) - lrelu alpha (pre z c p0 (p0 - s) k))) as P5.
        assert (P6 : Rabs a * Rabs a * Rabs (lslope alpha (z k)) * Rabs (d k) <= a ^ 2 * Rabs (d k)).
        { rewrite Ha2. assert (0 <= a ^ 2 * Rabs (d k) * (1 - Rabs (lslope alpha (z k)))) by
            (apply Rmult_le_pos; [apply Rmult_le_pos; [apply pow2_ge_0 | lra] | lra]). lra. }
        apply Rle_trans with (a ^ 2 * Rabs (d k) * Rabs (lrelu alpha (pre z c p0 (p0 + s) k) - lrelu alpha (pre z c p0 (p0 - s) k))).
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

  Hypothesis Ha : a <> 0.
  Hypothesis Hr : o i - y i <> 0.

  (** No Lipschitz constant along the moved coordinate: the pair [p0 +- s] beats every [L]. *)
  Theorem x1_leaky_no_lipschitz_line (L : R) :
    0 < L -> exists s, 0 < s /\
      (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
      L * Rabs ((p0 + s) - (p0 - s)) <
        Rabs (line_partial_l n a alpha z c o y p0 c (p0 + s) - line_partial_l n a alpha z c o y p0 c (p0 - s)).
  Proof.
    intros HL. destruct leaky_jump_estimate as (dl & Hdl & Hest).
    set (J := (1 - alpha) * a * (o i - y i) * sgn (c i) * c i / INR n).
    assert (Hn' : 0 < INR n) by (apply lt_0_INR; exact Hn).
    assert (HJ : 0 < Rabs J).
    { apply Rabs_pos_lt. unfold J. unfold Rdiv. repeat apply Rmult_integral_contrapositive_currified; auto.
      - lra.
      - intro E. pose proof (sgn_abs (c i) Hci) as S. rewrite E, Rabs_R0 in S. lra.
      - apply Rinv_neq_0_compat; lra. }
    pose proof (Kc_nonneg n a c Hn c) as HK.
    set (s := Rmin (dl / 2) (Rabs J / (2 * (Kc n a c c + 2 * L + 1)))).
    assert (Hs1 : 0 < s) by (apply Rmin_glb_lt; [lra | apply Rdiv_lt_0_compat; lra]).
    assert (Hs2 : s < dl) by (eapply Rle_lt_trans; [apply Rmin_l | lra]).
    assert (Hs3 : s * (Kc n a c c + 2 * L + 1) <= Rabs J / 2).
    { assert (s <= Rabs J / (2 * (Kc n a c c + 2 * L + 1))) by apply Rmin_r.
      assert (Rabs J / (2 * (Kc n a c c + 2 * L + 1)) * (Kc n a c c + 2 * L + 1) = Rabs J / 2) by (field; lra). nra. }
    exists s. destruct (Hest s (conj Hs1 Hs2)) as [Hoff Hb]. specialize (Hb c). fold J in Hb.
    split; [exact Hs1 | split; [exact Hoff |]].
    replace (p0 + s - (p0 - s)) with (2 * s) by ring. rewrite Rabs_pos_eq by lra.
    set (D := line_partial_l n a alpha z c o y p0 c (p0 + s) - line_partial_l n a alpha z c o y p0 c (p0 - s)) in *.
    assert (Rabs J <= Rabs D + Rabs (D - J)).
    { pose proof (Rabs_triang D (- (D - J))) as T. rewrite Rabs_Ropp in T. replace (D + - (D - J)) with J in T by ring.
      exact T. }
    nra.
  Qed.
  (** C1 for LeakyReLU along the moved coordinate: for every [L] the line loss is differentiable at
      [p0 +- s] and its derivatives differ by more than [L |(p0 + s) - (p0 - s)|]. *)
  Theorem x1_leaky_c1 (L : R) :
    0 < L -> exists s g1 g2, 0 < s /\
      is_derive (line_loss_l n a alpha z c o y p0) (p0 + s) g1 /\
      is_derive (line_loss_l n a alpha z c o y p0) (p0 - s) g2 /\
      L * Rabs ((p0 + s) - (p0 - s)) < Rabs (g1 - g2).
  Proof.
    intros HL. destruct (x1_leaky_no_lipschitz_line L HL) as (s & Hs & Hoff & Hlt).
    exists s, (line_partial_l n a alpha z c o y p0 c (p0 + s)), (line_partial_l n a alpha z c o y p0 c (p0 - s)).
    split; [exact Hs | split; [| split; [| exact Hlt]]].
    - apply is_derive_line_loss_l; [exact Hn |]. intros k Hk. apply (Hoff k Hk).
    - apply is_derive_line_loss_l; [exact Hn |]. intros k Hk. apply (Hoff k Hk).
  Qed.
End LeakyKink.

Print Assumptions x1_leaky_no_lipschitz_line.
Print Assumptions x1_leaky_c1.
