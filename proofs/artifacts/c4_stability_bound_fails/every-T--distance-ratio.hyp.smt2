; symrelu obligation distance-ratio.hyp
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: hypotheses only of distance-ratio (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun amp () Real)
(declare-fun epsilon () Real)
(declare-fun w () Real)
(assert (> epsilon 0.0))
(assert (> w 0.0))
(assert (>= amp 0.0))
(assert (= (* 2.0 epsilon amp) (+ w epsilon)))
(check-sat)
(exit)
