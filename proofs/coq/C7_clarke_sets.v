(** * C7: Clarke sets at kinks, and what backpropagation returns.

    For [loss w1 w2 = 1/2 (relu w1 + relu w2 - 1)^2]:
    - [clarke (0,0) = [-1,0]^2] (the hull of the four active region gradients
      (-1,-1), (-1,0), (0,-1), (0,0));
    - [clarke (0,w2) = [-1,0] x {0}] for every [w2 < 0];
    - backpropagation with relu'(0) = 0 returns (0,0), with relu'(0) = 1 returns
      (-1,-1) at the origin and (-1,0) at (0,w2): all inside;
    - for the tied network [relu(w) - relu(-w)] the Clarke set at 0 is [{-1}] and
      backpropagation returns 0 or -2: outside.
    [clarke] is the convex hull of the limits of gradients (SymReluLib). *)

(** Not machine-checked:
    - the Clarke subdifferential is defined as the convex hull of the limits of gradients (Clarke 1990, Thm 2.5.1, taken as the definition); its equality with Clarke's definition through the generalized directional derivative is not re-proved *)

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

(** ** The tied network: backpropagation can leave the Clarke set

    [f(w) = relu(w) - relu(-w)] with data ((1,-1), 1): [tied_loss w = 1/2 (relu w - relu (-w) - 1)^2 = 1/2 (w - 1)^2],
    smooth, so its Clarke set at 0 is [{-1}]; backpropagation with relu'(0) = s returns [-2 s]: 0 for s = 0
    and -2 for s = 1, both outside. *)

Definition tied_loss (w : R) : R := / 2 * (relu w - relu (- w) - 1) ^ 2.

Lemma tied_smooth w : tied_loss w = / 2 * (w - 1) ^ 2.
Proof. unfold tied_loss. destruct (Rle_or_lt 0 w); relu_simpl; field. Qed.

Lemma tied_derivative w : is_derive tied_loss w (w - 1).
Proof.
  apply is_derive_ext_R with (f := fun x => / 2 * (x - 1) ^ 2); [intros; symmetry; apply tied_smooth |].
  auto_derive; auto. field.
Qed.

(** Limits of derivatives at 0 along sequences of points [w_k <> 0], [w_k -> 0], and their convex hull. *)
Definition limderiv_tied (g : R) : Prop :=
  exists u : nat -> R, (forall k, u k <> 0) /\ is_lim_seq u 0 /\ is_lim_seq (fun k => u k - 1) g.

Definition conv1 (P : R -> Prop) (g : R) : Prop :=
  exists (n : nat) (lam p : nat -> R), (forall k, (k < n)%nat -> 0 <= lam k /\ P (p k)) /\
    sumR n lam = 1 /\ g = sumR n (fun k => lam k * p k).

Definition backprop_tied (s : R) (w : R) : R := (relu w - relu (- w) - 1) * (relu_deriv s w + relu_deriv s (- w)).

Theorem c7_tied_backprop_outside :
  (forall g, conv1 limderiv_tied g <-> g = -1) /\
  backprop_tied 0 0 = 0 /\ backprop_tied 1 0 = -2 /\ ~ conv1 limderiv_tied (backprop_tied 0 0) /\
  ~ conv1 limderiv_tied (backprop_tied 1 0).
Proof.
  assert (Lim : forall g, limderiv_tied g -> g = -1).
  { intros g (u & _ & Hu & Hg).
    assert (Hm : is_lim_seq (fun k => u k - 1) (0 - 1)).
    { apply is_lim_seq_minus'; [exact Hu | apply is_lim_seq_const]. }
    pose proof (is_lim_seq_unique _ _ Hg) as E1. pose proof (is_lim_seq_unique _ _ Hm) as E2.
    rewrite E1 in E2. inversion E2. lra. }
  assert (Set1 : forall g, conv1 limderiv_tied g <-> g = -1).
  { intros g. split.
    - intros (n & lam & p & Hk & Hs & ->).
      assert (B : -1 <= sumR n (fun k => lam k * p k) <= -1).
      { apply sumR_convex; [| exact Hs]. intros k Hk'. destruct (Hk k Hk') as [Hl Hp]. rewrite (Lim _ Hp). lra. }
      lra.
    - intros ->. exists 1%nat, (fun _ => 1), (fun _ => -1). split; [| split; simpl; ring].
      intros k _. split; [lra |]. exists e_seq. split; [intros k'; pose proof (e_seq_pos k'); lra |].
      split; [apply lim_e_seq |].
      apply is_lim_seq_ext with (u := fun k' => -1 + 1 * e_seq k'); [intros; ring | apply lim_affine_e]. }
  assert (B0 : backprop_tied 0 0 = 0).
  { unfold backprop_tied. rewrite Ropp_0, relu_deriv_0. relu_simpl. ring. }
  assert (B1 : backprop_tied 1 0 = -2).
  { unfold backprop_tied. rewrite Ropp_0, relu_deriv_0. relu_simpl. ring. }
  split; [exact Set1 | split; [exact B0 | split; [exact B1 | split]]].
  - rewrite B0, Set1. lra.
  - rewrite B1, Set1. lra.
Qed.

Print Assumptions c7_clarke_origin.
Print Assumptions c7_clarke_axis.
Print Assumptions c7_backprop.
Print Assumptions c7_tied_backprop_outside.
