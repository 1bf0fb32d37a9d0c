; symrelu obligation inductive-step
; check: subgradient_stability_bound
; subject: any loss whose subgradients on D have norm <= G
; region: scalars: |u_t|<=D, steps <= eta*G; G^2=2; eta=1/10
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun A () Real)
(declare-fun B () Real)
(declare-fun C () Real)
(declare-fun D () Real)
(declare-fun E () Real)
(declare-fun G () Real)
(assert (>= G 0.0))
(assert (= 2.0 (* G G)))
(assert (= E (* (/ 1.0 10.0) G)))
(assert (>= A 0.0))
(assert (>= B 0.0))
(assert (>= C 0.0))
(assert (<= A D))
(assert (<= B E))
(assert (<= C E))
(assert (> (* (+ A B C) (+ A B C)) (* (+ D (* 2.0 E)) (+ D (* 2.0 E)))))
(check-sat)
(exit)
