(** * C7: Clarke sets at kinks, and what backpropagation returns.

    For [loss w1 w2 = 1/2 (relu w1 + relu w2 - 1)^2]:
    - [clarke (0,0) = [-1,0]^2] (the hull of the four active region gradients
      (-1,-1), (-1,0), (0,-1), (0,0));
    - [clarke (0,w2) = [-1,0] x {0}] for every [w2 < 0];
    - backpropagation with relu'(0) = 0 returns (0,0), with relu'(0) = 1 returns
      (-1,-1) at the origin and (-1,0) at (0,w2): all inside.
    [clarke] is the convex hull of the limits of gradients (SymReluLib). *)

(** Not machine-checked:
    - the Clarke subdifferential is defined as the convex hull of the limits of gradients (Clarke 1990, Thm 2.5.1, taken as the definition); its equality with Clarke's definition through the generalized directional derivative is not re-proved; the tied-network example of the SMT line (backprop outside the Clarke set) is not formalized here *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib.
Open Scope R_scope.

Lemma half_pos : 0 < / 2.
Proof. lra. Qed.

Lemma limgrad_origin_box g : limgrad (0, 0) g -> -1 <= fst g <= 0 /\ -1 <= snd g <= 0.
Proof.
  intros (s & Hoff & [Hs1 Hs2] & [Hg1 Hg2]). cbn [fst snd] in *.
  destruct (eventually_close _ _ (mkposreal _ half_pos) Hs1) as [N1 HN1].
  destruct (eventually_close _ _ (mkposreal _ half_pos) Hs2) as [N2 HN2]. simpl in HN1, HN2.
  assert (Hk : forall k, (max N1 N2 <= k)%nat ->
            -1 <= grad1 (fst (s k)) (snd (s k)) <= 0 /\ -1 <= grad2 (fst (s k)) (snd (s k)) <= 0).
  { intros k Hk. specialize (HN1 k ltac:(lia)). specialize (HN2 k ltac:(lia)).
    unfold grad1, grad2. set (a := fst (s k)) in *. set (b := snd (s k)) in *.
    relu_cases a; relu_cases b; destruct (H_01 a) as [-> | ->]; destruct (H_01 b) as [-> | ->]; lra. }
  split.
  - apply (lim_in_interval _ _ _ _ Hg1). exists (max N1 N2). intros k Hk'. apply (Hk k Hk').
  - apply (lim_in_interval _ _ _ _ Hg2). exists (max N1 N2). intros k Hk'. apply (Hk k Hk').
Qed.

Lemma limgrad_origin_vertices :
  limgrad (0, 0) (-1, -1) /\ limgrad (0, 0) (-1, 0) /\ limgrad (0, 0) (0, -1) /\ limgrad (0, 0) (0, 0).
Proof.
  split; [| split; [| split]].
  - apply (limgrad_affine 0 0 1 1 (-1) 2 (-1) 2); intros k; pose proof (e_seq_pos k);
      unfold off_kink, grad, grad1, grad2; cbn [fst snd]; [split; intro; lra |]; relu_simpl; f_equal; ring.
  - apply (limgrad_affine 0 0 1 (-1) (-1) 1 0 0); intros k; pose proof (e_seq_pos k);
      unfold off_kink, grad, grad1, grad2; cbn [fst snd]; [split; intro; lra |]; relu_simpl; f_equal; ring.
  - apply (limgrad_affine 0 0 (-1) 1 0 0 (-1) 1); intros k; pose proof (e_seq_pos k);
      unfold off_kink, grad, grad1, grad2; cbn [fst snd]; [split; intro; lra |]; relu_simpl; f_equal; ring.
  - apply (limgrad_affine 0 0 (-1) (-1) 0 0 0 0); intros k; pose proof (e_seq_pos k);
      unfold off_kink, grad, grad1, grad2; cbn [fst snd]; [split; intro; lra |]; relu_simpl; f_equal; ring.
Qed.

(** Main theorem (a): the Clarke set at the origin is the square [-1,0]^2. *)
Theorem c7_clarke_origin g : clarke (0, 0) g <-> (-1 <= fst g <= 0 /\ -1 <= snd g <= 0).
Proof.
  split.
  - apply conv_box. apply limgrad_origin_box.
  - destruct g as [a b]; cbn [fst snd]; intros [Ha Hb].
    destruct limgrad_origin_vertices as (V0 & V1 & V2 & V3).
    apply (conv_of_four _ _ _ _ _ ((-a) * (-b)) ((-a) * (1 + b)) ((1 + a) * (-b)) ((1 + a) * (1 + b)) _ V0 V1 V2 V3);
      cbn [fst snd]; try nra; ring.
Qed.

Lemma limgrad_axis_box w2 g : w2 < 0 -> limgrad (0, w2) g -> -1 <= fst g <= 0 /\ snd g = 0.
Proof.
  intros Hw (s & Hoff & [Hs1 Hs2] & [Hg1 Hg2]). cbn [fst snd] in *.
  assert (Hq : 0 < - w2 / 2) by lra.
  destruct (eventually_close _ _ (mkposreal _ half_pos) Hs1) as [N1 HN1].
  destruct (eventually_close _ _ (mkposreal _ Hq) Hs2) as [N2 HN2]. simpl in HN1, HN2.
  assert (Hk : forall k, (max N1 N2 <= k)%nat ->
            -1 <= grad1 (fst (s k)) (snd (s k)) <= 0 /\ 0 <= grad2 (fst (s k)) (snd (s k)) <= 0).
  { intros k Hk. specialize (HN1 k ltac:(lia)). specialize (HN2 k ltac:(lia)).
    unfold grad1, grad2. set (a := fst (s k)) in *. set (b := snd (s k)) in *.
    relu_cases a; relu_cases b; try lra; rewrite (H_neg b) by lra; destruct (H_01 a) as [-> | ->]; lra. }
  split.
  - apply (lim_in_interval _ _ _ _ Hg1). exists (max N1 N2). intros k Hk'. apply (Hk k Hk').
  - assert (0 <= snd g <= 0); [| lra].
    apply (lim_in_interval _ _ _ _ Hg2). exists (max N1 N2). intros k Hk'. apply (Hk k Hk').
Qed.

(** Main theorem (b): on the negative w2 axis the Clarke set is [-1,0] x {0}. *)
Theorem c7_clarke_axis w2 g : w2 < 0 -> (clarke (0, w2) g <-> (-1 <= fst g <= 0 /\ snd g = 0)).
Proof.
  intros Hw. split.
  - intros Hc. assert (B : -1 <= fst g <= 0 /\ 0 <= snd g <= 0).
    { apply (conv_box (limgrad (0, w2))); [| exact Hc].
      intros h Hh. destruct (limgrad_axis_box w2 h Hw Hh). lra. }
    lra.
  - destruct g as [a b]; cbn [fst snd]; intros [Ha ->].
    assert (V0 : limgrad (0, w2) (-1, 0)).
    { apply (limgrad_affine 0 w2 1 0 (-1) 1 0 0); intros k; pose proof (e_seq_pos k);
        unfold off_kink, grad, grad1, grad2; cbn [fst snd]; [split; intro; lra |]; relu_simpl; f_equal; ring. }
    assert (V1 : limgrad (0, w2) (0, 0)).
    { apply (limgrad_affine 0 w2 (-1) 0 0 0 0 0); intros k; pose proof (e_seq_pos k);
        unfold off_kink, grad, grad1, grad2; cbn [fst snd]; [split; intro; lra |]; relu_simpl; f_equal; ring. }
    apply (conv_of_four _ _ _ _ _ (- a) (1 + a) 0 0 _ V0 V1 V1 V1); cbn [fst snd]; lra.
Qed.

Lemma relu_deriv_0 s : relu_deriv s 0 = s.
Proof. unfold relu_deriv; destruct (Rlt_dec 0 0); [lra |]; destruct (Rlt_dec 0 0); [lra | reflexivity]. Qed.

Lemma relu_deriv_neg s x : x < 0 -> relu_deriv s x = 0.
Proof. intros; unfold relu_deriv; destruct (Rlt_dec 0 x); [lra |]; destruct (Rlt_dec x 0); [reflexivity | lra]. Qed.

(** Main theorem (c): both backpropagation conventions return points of the Clarke set. *)
Theorem c7_backprop :
  backprop 0 (0, 0) = (0, 0) /\ backprop 1 (0, 0) = (-1, -1) /\
  clarke (0, 0) (backprop 0 (0, 0)) /\ clarke (0, 0) (backprop 1 (0, 0)) /\
  forall w2, w2 < 0 ->
    backprop 0 (0, w2) = (0, 0) /\ backprop 1 (0, w2) = (-1, 0) /\
    clarke (0, w2) (backprop 0 (0, w2)) /\ clarke (0, w2) (backprop 1 (0, w2)).
Proof.
  assert (B0 : backprop 0 (0, 0) = (0, 0)).
  { unfold backprop; cbn [fst snd]; rewrite relu_deriv_0; relu_simpl; f_equal; ring. }
  assert (B1 : backprop 1 (0, 0) = (-1, -1)).
  { unfold backprop; cbn [fst snd]; rewrite relu_deriv_0; relu_simpl; f_equal; ring. }
  assert (A : forall w2, w2 < 0 -> backprop 0 (0, w2) = (0, 0) /\ backprop 1 (0, w2) = (-1, 0)).
  { intros w2 Hw; unfold backprop; cbn [fst snd]; rewrite !relu_deriv_0, !relu_deriv_neg by exact Hw;
      relu_simpl; split; f_equal; ring. }
  split; [exact B0 | split; [exact B1 | split; [| split]]].
  - rewrite B0; apply c7_clarke_origin; cbn [fst snd]; lra.
  - rewrite B1; apply c7_clarke_origin; cbn [fst snd]; lra.
  - intros w2 Hw; destruct (A w2 Hw) as [E0 E1]. split; [exact E0 | split; [exact E1 | split]].
    + rewrite E0; apply c7_clarke_axis; cbn [fst snd]; lra.
    + rewrite E1; apply c7_clarke_axis; cbn [fst snd]; lra.
Qed.

Print Assumptions c7_clarke_origin.
Print Assumptions c7_clarke_axis.
Print Assumptions c7_backprop.
