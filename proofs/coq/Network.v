(** * A one-hidden-layer problem given by tables: the generic C1 certificate.

    Parameters are a vector [th : nat -> R]; the problem supplies, as functions
    of [th], the output weights [A th j], the input weights [W th j l] and the
    biases [B th j] of its [m] hidden neurons, the output bias [C th], and [n] data points
    [(xv k, yv k)] of dimension [d].  [ploss] is the squared loss
    [1/(2n) sum_k (sum_j A_j relu(W_j . x_k + B_j) + C - y_k)^2].

    [c1_network]: at a kink point [th] where only data point [i]'s kink of
    neuron [j] is crossed along parameter [q] (affine with coefficients [c]),
    with [A th j <> 0] and a non-zero residual, the partial derivative in [q]
    varies faster than any [L] between [th] with [q := th q +- s]: the gradient
    of [ploss] has no Lipschitz constant.  [symrelu proofs coq] writes a file
    that instantiates it for a user's problem and checks the side conditions
    by computation. *)

From Coquelicot Require Import Coquelicot.
Require Import Reals Lra Psatz.
From SymRelu Require Import SymReluLib Family.
Open Scope R_scope.

Definition upd (th : nat -> R) (q : nat) (t : R) : nat -> R := fun idx => if Nat.eqb idx q then t else th idx.

Lemma upd_q th q t : upd th q t q = t.
Proof. unfold upd. rewrite Nat.eqb_refl. reflexivity. Qed.

Lemma sumR_split n j f : (j < n)%nat -> sumR n f = f j + sumR n (fun k => if Nat.eqb k j then 0 else f k).
Proof.
  induction n as [| n IH]; intros Hj; [lia |]. simpl. destruct (Nat.eqb_spec n j) as [-> | Hne].
  - rewrite (sumR_ext j (fun k => if Nat.eqb k j then 0 else f k) f); [ring |].
    intros k Hk. destruct (Nat.eqb_spec k j); [lia | reflexivity].
  - rewrite IH by lia. ring.
Qed.

Section Network.
  Variables (n m d : nat) (A : (nat -> R) -> nat -> R) (W : (nat -> R) -> nat -> nat -> R)
            (B : (nat -> R) -> nat -> R) (C : (nat -> R) -> R) (xv : nat -> nat -> R) (yv : nat -> R).

  Definition preact (th : nat -> R) (j k : nat) : R := sumR d (fun l => W th j l * xv k l) + B th j.
  Definition out (th : nat -> R) (k : nat) : R := sumR m (fun j => A th j * relu (preact th j k)) + C th.
  Definition ploss (th : nat -> R) : R := / (2 * INR n) * sumR n (fun k => (out th k - yv k) ^ 2).
  Definition net_off_kinks (th : nat -> R) : Prop :=
    forall j k, (j < m)%nat -> (k < n)%nat -> preact th j k <> 0.

  Theorem c1_network (th : nat -> R) (q j i : nat) (c : nat -> R) :
    (0 < n)%nat -> (i < n)%nat -> (j < m)%nat ->
    (forall t, A (upd th q t) j = A th j) -> (forall t, C (upd th q t) = C th) ->
    (forall j' k t, (j' < m)%nat -> j' <> j ->
       A (upd th q t) j' = A th j' /\ preact (upd th q t) j' k = preact th j' k) ->
    (forall k t, (k < n)%nat -> preact (upd th q t) j k = preact th j k + c k * (t - th q)) ->
    preact th j i = 0 -> c i <> 0 -> (forall k, (k < n)%nat -> k <> i -> preact th j k <> 0) ->
    (forall j' k, (j' < m)%nat -> j' <> j -> (k < n)%nat -> preact th j' k <> 0) ->
    A th j <> 0 -> out th i - yv i <> 0 ->
    forall L, 0 < L -> exists s g g', 0 < s /\
      net_off_kinks (upd th q (th q + s)) /\ net_off_kinks (upd th q (th q - s)) /\
      is_derive (fun t => ploss (upd th q t)) (th q + s) g /\
      is_derive (fun t => ploss (upd th q t)) (th q - s) g' /\
      L * Rabs ((th q + s) - (th q - s)) < Rabs (g - g').
  Proof.
    intros Hn Hi Hj HA HC Hother Haff Hzi Hci Hz Hzo Ha Hr L HL.
    set (a := A th j). set (z := fun k => preact th j k).
    set (o := fun k => out th k - a * relu (preact th j k)).
    assert (Out : forall t k, (k < n)%nat -> out (upd th q t) k = a * relu (pre z c (th q) t k) + o k).
    { intros t k Hk. unfold o, out. rewrite (sumR_split m j _ Hj), (sumR_split m j (fun j0 => A th j0 * relu (preact th j0 k)) Hj).
      rewrite HA, HC, Haff by exact Hk. unfold pre, z, a.
      rewrite (sumR_ext m (fun k0 => if Nat.eqb k0 j then 0 else A (upd th q t) k0 * relu (preact (upd th q t) k0 k))
                          (fun k0 => if Nat.eqb k0 j then 0 else A th k0 * relu (preact th k0 k))).
      - ring.
      - intros j' Hj'. destruct (Nat.eqb_spec j' j); [reflexivity |].
        destruct (Hother j' k t Hj' n0) as [E1 E2]. rewrite E1, E2. reflexivity. }
    assert (Loss : forall t, line_loss n a z c o yv (th q) t = ploss (upd th q t)).
    { intros t. unfold line_loss, ploss. f_equal. apply sumR_ext. intros k Hk. rewrite Out by exact Hk. reflexivity. }
    assert (Hzi' : z i = 0) by exact Hzi.
    assert (Hr' : o i - yv i <> 0).
    { unfold o. rewrite Hzi, relu_pos by lra. replace (a * 0) with 0 by ring. replace (out th i - 0) with (out th i) by ring.
      exact Hr. }
    destruct (no_lipschitz_line n i a (th q) z c o yv Hn Hi Hzi' Hci Hz Ha Hr' L HL) as (s & Hs & Hoff & Hlt).
    exists s, (line_partial n a z c o yv (th q) c (th q + s)), (line_partial n a z c o yv (th q) c (th q - s)).
    assert (Off : forall t, (forall k, (k < n)%nat -> pre z c (th q) t k <> 0) -> net_off_kinks (upd th q t)).
    { intros t Hp j' k Hj' Hk. destruct (Nat.eq_dec j' j) as [-> | Hne].
      - rewrite Haff by exact Hk. apply (Hp k Hk).
      - destruct (Hother j' k t Hj' Hne) as [_ E2]. rewrite E2. apply Hzo; auto. }
    split; [exact Hs |]. split; [apply Off; intros k Hk; apply (Hoff k Hk) |].
    split; [apply Off; intros k Hk; apply (Hoff k Hk) |].
    split; [| split; [| exact Hlt]].
    - apply (is_derive_ext_R _ _ _ _ Loss). apply is_derive_line_loss; [exact Hn | intros k Hk; apply (Hoff k Hk)].
    - apply (is_derive_ext_R _ _ _ _ Loss). apply is_derive_line_loss; [exact Hn | intros k Hk; apply (Hoff k Hk)].
  Qed.
End Network.

Print Assumptions c1_network.
