(** * X1 (OUR extension, not the paper's): C1 for LeakyReLU(alpha), 0 <= alpha < 1.

    The one-hidden-layer family of [Family.v] with neuron [j]'s ReLU replaced by
    [lrelu alpha v = alpha v + (1 - alpha) relu v], whose slope is
    [lslope alpha v = alpha + (1 - alpha) H v] off its kink: the kink of
    [Family.v] with slopes [alpha] and [1] ([lrelu alpha] is [kact alpha 1]).
    Along the moved coordinate [p] the partial derivative of the loss is
    [line_partial_l]; at a kink point ([z i = 0], every other [z k <> 0]) it
    jumps by [(1 - alpha) a r sgn(c i) d i / n] ([r = o i - y i]), up to
    [Kc d * s] ([Family.kink_jump_estimate]), and the pair [p0 +- s] beats every
    Lipschitz constant [L] when [a <> 0], [r <> 0], [c i <> 0] (an input weight
    needs [x i <> 0]) and [0 <= alpha < 1].  [Family.is_derive_kline_loss]
    proves that [line_partial_l] is the derivative of the line loss off the
    kinks, and [x1_leaky_c1] puts the two together. *)

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

Section LeakyKink.
  Variables (n i : nat) (a alpha p0 : R) (z c o y : nat -> R).
  Hypothesis Hn : (0 < n)%nat.
  Hypothesis Hi : (i < n)%nat.
  Hypothesis Hzi : z i = 0.
  Hypothesis Hci : c i <> 0.
  Hypothesis Hz : forall k, (k < n)%nat -> k <> i -> z k <> 0.
  Hypothesis Halpha : 0 <= alpha < 1.
  Hypothesis Ha : a <> 0.
  Hypothesis Hr : o i - y i <> 0.

  (** No Lipschitz constant along the moved coordinate: the pair [p0 +- s] beats every [L]. *)
  Theorem x1_leaky_no_lipschitz_line (L : R) :
    0 < L -> exists s, 0 < s /\
      (forall k, (k < n)%nat -> pre z c p0 (p0 + s) k <> 0 /\ pre z c p0 (p0 - s) k <> 0) /\
      L * Rabs ((p0 + s) - (p0 - s)) <
        Rabs (line_partial_l n a alpha z c o y p0 c (p0 + s) - line_partial_l n a alpha z c o y p0 c (p0 - s)).
  Proof.
    intros HL.
    exact (kink_no_lipschitz_line alpha 1 n i a p0 z c o y Hn Hi Hzi Hci Hz ltac:(lra) ltac:(lra) Ha Hr L HL).
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
    - apply (is_derive_kline_loss alpha 1); [exact Hn |]. intros k Hk. apply (Hoff k Hk).
    - apply (is_derive_kline_loss alpha 1); [exact Hn |]. intros k Hk. apply (Hoff k Hk).
  Qed.
End LeakyKink.

Print Assumptions x1_leaky_no_lipschitz_line.
Print Assumptions x1_leaky_c1.
