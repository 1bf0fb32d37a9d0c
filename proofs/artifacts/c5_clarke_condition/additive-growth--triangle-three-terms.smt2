; symrelu obligation triangle-three-terms
; check: subgradient_stability_bound
; subject: any loss whose subgradients on D have norm <= G
; region: scalars: A=|u|, B=|eta g|, C=|eta h|, P=<u,eta g>, Q=<u,eta h>, R=<eta g,eta h>, N=|u-eta g+eta h|^2
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun A () Real)
(declare-fun B () Real)
(declare-fun C () Real)
(declare-fun N () Real)
(declare-fun P () Real)
(declare-fun Q () Real)
(declare-fun R () Real)
(assert (>= A 0.0))
(assert (>= B 0.0))
(assert (>= C 0.0))
(assert (let ((a!1 (+ (- (+ (* A A) (* B B) (* C C)) (* 2.0 P)) (* 2.0 Q))))
  (= N (- a!1 (* 2.0 R)))))
(assert (<= (- P) (* A B)))
(assert (<= Q (* A C)))
(assert (<= (- R) (* B C)))
(assert (> N (* (+ A B C) (+ A B C))))
(check-sat)
(exit)
