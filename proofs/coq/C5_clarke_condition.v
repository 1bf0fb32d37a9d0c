(** * C5: a Clarke-subgradient condition restores stability.

    On [D = [-1,1]^2], with [G = sqrt 2]:
    - every Clarke subgradient ([clarke]: hull of the limits of gradients) at a
      point of [D] has norm [<= sqrt 2], attained at (1,1);
    - (a) [|l(th) - l(th')| <= sqrt 2 ||th - th'||] on [D], proved directly
      (no Lebourg mean value theorem is needed), and [sqrt 2] is the best
      constant;
    - (b) any subgradient method whose iterates stay in [D] satisfies
      [||th_T - th'_T|| <= ||th_0 - th'_0|| + 2 eta T G], by induction over [T]. *)

(** Not machine-checked:
    - the Clarke subdifferential is defined as the convex hull of the limits of gradients (Clarke 1990, Thm 2.5.1, taken as the definition); its equality with Clarke's definition through the generalized directional derivative is not re-proved (C5 (a) is proved directly, so it does not depend on it) *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib.
Open Scope R_scope.

Definition inD (th : R * R) : Prop := -1 <= fst th <= 1 /\ -1 <= snd th <= 1.

Lemma relu_le1 x : -1 <= x <= 1 -> 0 <= relu x <= 1.
Proof. intros. relu_cases x; lra. Qed.

Lemma abs_sum_le_sqrt2 a b : Rabs a + Rabs b <= sqrt 2 * sqrt (a ^ 2 + b ^ 2).
Proof.
  rewrite <- sqrt_mult by (lra || nra).
  rewrite <- (sqrt_pow2 (Rabs a + Rabs b)) by (pose proof (Rabs_pos a); pose proof (Rabs_pos b); lra).
  apply sqrt_le_1_alt. rewrite <- (pow2_abs a), <- (pow2_abs b).
  pose proof (pow2_ge_0 (Rabs a - Rabs b)). nra.
Qed.

(** (a) Lipschitz on [D] with [G = sqrt 2], directly. *)
Theorem c5_lipschitz_on_D th th' :
  inD th -> inD th' -> Rabs (loss (fst th) (snd th) - loss (fst th') (snd th')) <= sqrt 2 * enorm (vsub th th').
Proof.
  destruct th as [a b], th' as [c d]. unfold inD, vsub, enorm; cbn [fst snd]. intros [Ha Hb] [Hc Hd].
  pose proof (relu_le1 a Ha). pose proof (relu_le1 b Hb). pose proof (relu_le1 c Hc). pose proof (relu_le1 d Hd).
  set (s := relu a + relu b). set (s' := relu c + relu d).
  assert (E : loss a b - loss c d = / 2 * (s - s') * (s + s' - 2)) by (unfold loss, s, s'; field).
  rewrite E.
  assert (Hs : Rabs (s - s') <= Rabs (a - c) + Rabs (b - d)).
  { unfold s, s'. replace (relu a + relu b - (relu c + relu d)) with ((relu a - relu c) + (relu b - relu d)) by ring.
    eapply Rle_trans; [apply Rabs_triang |]. pose proof (relu_lip a c). pose proof (relu_lip b d). lra. }
  assert (Hm : Rabs (s + s' - 2) <= 2) by (unfold s, s' in *; apply Rabs_le; lra).
  rewrite !Rabs_mult, (Rabs_pos_eq (/ 2)) by lra.
  pose proof (Rabs_pos (s - s')). pose proof (Rabs_pos (s + s' - 2)).
  pose proof (abs_sum_le_sqrt2 (a - c) (b - d)). nra.
Qed.

(** [sqrt 2] is the best constant: any [0 <= G < sqrt 2] fails near (1,1). *)
Theorem c5_sqrt2_is_tight (G : R) :
  0 <= G < sqrt 2 -> exists th th', inD th /\ inD th' /\
    G * enorm (vsub th th') < Rabs (loss (fst th) (snd th) - loss (fst th') (snd th')).
Proof.
  intros HG. assert (S2 : 0 < sqrt 2) by (apply sqrt_lt_R0; lra).
  assert (S2' : sqrt 2 * sqrt 2 = 2) by (apply sqrt_sqrt; lra).
  set (u := G / sqrt 2).
  assert (Gu : G = u * sqrt 2) by (unfold u; field; lra).
  assert (Hu : 0 <= u < 1) by (rewrite Gu in HG; split; nra).
  set (h := (1 - u) / 2).
  assert (Hh : 0 < h <= / 2) by (unfold h; lra).
  exists (1, 1), (1 - h, 1 - h). unfold inD, vsub; cbn [fst snd].
  split; [unfold h; lra | split; [unfold h; lra |]].
  replace (1 - (1 - h)) with h by ring. rewrite enorm_xx, Rabs_pos_eq by (unfold h; lra).
  unfold loss. relu_simpl; try (unfold h; lra).
  replace (/ 2 * (1 + 1 - 1) ^ 2 - / 2 * (1 - h + (1 - h) - 1) ^ 2) with (2 * h * (1 - h)) by field.
  rewrite Rabs_pos_eq by nra. rewrite Gu.
  replace (u * sqrt 2 * (sqrt 2 * h)) with (u * (sqrt 2 * sqrt 2) * h) by ring. rewrite S2'.
  unfold h. nra.
Qed.

Lemma limgrad_in_box th g : inD th -> limgrad th g -> -1 <= fst g <= 1 /\ -1 <= snd g <= 1.
Proof.
  intros [H1 H2] (s & Hoff & [Hs1 Hs2] & [Hg1 Hg2]).
  set (phi := fun k => Rabs (relu (fst (s k)) + relu (snd (s k)) - 1)).
  assert (Hphi : is_lim_seq phi (Rabs (relu (fst th) + relu (snd th) - 1))).
  { apply (is_lim_seq_abs _ (relu (fst th) + relu (snd th) - 1)).
    apply is_lim_seq_minus'; [apply is_lim_seq_plus'; apply lim_relu; assumption | apply is_lim_seq_const]. }
  assert (Hb : Rabs (relu (fst th) + relu (snd th) - 1) <= 1).
  { pose proof (relu_le1 _ H1). pose proof (relu_le1 _ H2). apply Rabs_le. lra. }
  assert (Hmphi : is_lim_seq (fun k => - phi k) (- Rabs (relu (fst th) + relu (snd th) - 1))).
  { apply (is_lim_seq_opp phi (Rabs (relu (fst th) + relu (snd th) - 1))). exact Hphi. }
  assert (B : forall k, - phi k <= grad1 (fst (s k)) (snd (s k)) <= phi k /\
                        - phi k <= grad2 (fst (s k)) (snd (s k)) <= phi k).
  { intros k. unfold phi, grad1, grad2. set (r := relu (fst (s k)) + relu (snd (s k)) - 1).
    pose proof (Rabs_pos r). pose proof (Rle_abs r). pose proof (Rle_abs (- r)). rewrite Rabs_Ropp in *.
    destruct (H_01 (fst (s k))) as [-> | ->]; destruct (H_01 (snd (s k))) as [-> | ->]; lra. }
  split; split.
  - assert (L : Rbar_le (- Rabs (relu (fst th) + relu (snd th) - 1)) (fst g)).
    { apply (is_lim_seq_le (fun k => - phi k) (fun k => fst (grad (s k)))); auto. intros k; apply (B k). }
    simpl in L. lra.
  - assert (L : Rbar_le (fst g) (Rabs (relu (fst th) + relu (snd th) - 1))).
    { apply (is_lim_seq_le (fun k => fst (grad (s k))) phi); auto. intros k; apply (B k). }
    simpl in L. lra.
  - assert (L : Rbar_le (- Rabs (relu (fst th) + relu (snd th) - 1)) (snd g)).
    { apply (is_lim_seq_le (fun k => - phi k) (fun k => snd (grad (s k)))); auto. intros k; apply (B k). }
    simpl in L. lra.
  - assert (L : Rbar_le (snd g) (Rabs (relu (fst th) + relu (snd th) - 1))).
    { apply (is_lim_seq_le (fun k => snd (grad (s k))) phi); auto. intros k; apply (B k). }
    simpl in L. lra.
Qed.

(** Every Clarke subgradient at a point of [D] has norm at most [G = sqrt 2]. *)
Theorem c5_clarke_bound th g : inD th -> clarke th g -> enorm g <= sqrt 2.
Proof.
  intros HD Hc. destruct (conv_box (limgrad th) (-1) 1 (-1) 1 (fun h Hh => limgrad_in_box th h HD Hh) g Hc).
  apply enorm_box_sq; assumption.
Qed.

(** ... and the bound is attained: the gradient (1,1) at (1,1). *)
Theorem c5_bound_attained : inD (1, 1) /\ clarke (1, 1) (1, 1) /\ enorm (1, 1) = sqrt 2.
Proof.
  split; [unfold inD; cbn; lra | split].
  - assert (V : limgrad (1, 1) (1, 1)).
    { exists (fun _ => (1, 1)). split; [intros k; split; cbn; intro; lra |].
      split; [split; apply is_lim_seq_const |].
      assert (Eg : grad (1, 1) = (1, 1)) by (unfold grad, grad1, grad2; cbn [fst snd]; relu_simpl; f_equal; ring).
      rewrite Eg. split; apply is_lim_seq_const. }
    apply (conv_of_four _ (1, 1) (1, 1) (1, 1) (1, 1) 1 0 0 0); cbn [fst snd]; try exact V; lra.
  - unfold enorm; cbn. f_equal. ring.
Qed.

Lemma enorm_sub_le u v : enorm (vsub u v) <= enorm u + enorm v.
Proof.
  pose proof (enorm_triangle u (- fst v, - snd v)) as T.
  replace (enorm (- fst v, - snd v)) with (enorm v) in T
    by (unfold enorm; cbn; f_equal; ring).
  unfold vsub. replace (fst u - fst v) with (fst u + - fst v) by ring.
  replace (snd u - snd v) with (snd u + - snd v) by ring. exact T.
Qed.

(** (b) The subgradient method: perturbations grow additively, by induction over [T]. *)
Theorem c5_additive_growth (eta : R) (th th' g g' : nat -> R * R) :
  0 <= eta ->
  (forall t, inD (th t) /\ inD (th' t)) ->
  (forall t, clarke (th t) (g t) /\ clarke (th' t) (g' t)) ->
  (forall t, th (S t) = (fst (th t) - eta * fst (g t), snd (th t) - eta * snd (g t))) ->
  (forall t, th' (S t) = (fst (th' t) - eta * fst (g' t), snd (th' t) - eta * snd (g' t))) ->
  forall T, enorm (vsub (th T) (th' T)) <= enorm (vsub (th O) (th' O)) + 2 * eta * INR T * sqrt 2.
Proof.
  intros He HD Hc Hth Hth' T. induction T as [| T IH].
  - simpl. lra.
  - rewrite Hth, Hth', S_INR.
    assert (E : vsub (fst (th T) - eta * fst (g T), snd (th T) - eta * snd (g T))
                     (fst (th' T) - eta * fst (g' T), snd (th' T) - eta * snd (g' T))
              = (fst (vsub (th T) (th' T)) + fst ((- eta) * fst (vsub (g T) (g' T)), (- eta) * snd (vsub (g T) (g' T))),
                 snd (vsub (th T) (th' T)) + snd ((- eta) * fst (vsub (g T) (g' T)), (- eta) * snd (vsub (g T) (g' T))))).
    { unfold vsub; cbn [fst snd]. f_equal; ring. }
    rewrite E. eapply Rle_trans; [apply enorm_triangle |].
    rewrite enorm_scal, Rabs_Ropp, Rabs_pos_eq by exact He.
    destruct (HD T) as [D1 D2]. destruct (Hc T) as [C1 C2].
    pose proof (c5_clarke_bound _ _ D1 C1). pose proof (c5_clarke_bound _ _ D2 C2).
    pose proof (enorm_sub_le (g T) (g' T)). nra.
Qed.

Print Assumptions c5_lipschitz_on_D.
Print Assumptions c5_sqrt2_is_tight.
Print Assumptions c5_clarke_bound.
Print Assumptions c5_bound_attained.
Print Assumptions c5_additive_growth.
