; symrelu obligation distance-ratio
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: theta_T = (w, w), theta'_T = (-eps, -eps): ratio of norms = (w + eps)/(2 eps)
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun amp () Real)
(declare-fun epsilon () Real)
(declare-fun w () Real)
(assert (> epsilon 0.0))
(assert (> w 0.0))
(assert (>= amp 0.0))
(assert (= (* 2.0 epsilon amp) (+ w epsilon)))
(assert (distinct (* 2.0 (+ w epsilon) (+ w epsilon)) (* amp amp 8.0 epsilon epsilon)))
(check-sat)
(exit)
