; symrelu obligation skolem-epsilon.hyp
; check: gd_amplification_unbounded
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2
; region: hypotheses only of skolem-epsilon (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun amp () Real)
(declare-fun beta () Real)
(declare-fun epsilon () Real)
(declare-fun eta () Real)
(assert (> eta 0.0))
(assert (>= (/ 1.0 2.0) eta))
(assert (> beta 0.0))
(assert (= (* 2.0 epsilon (+ beta 2.0)) 1.0))
(assert (= (* (* 2.0 epsilon) amp) (+ (* (* 2.0 epsilon) (- 1.0 eta)) eta)))
(check-sat)
(exit)
