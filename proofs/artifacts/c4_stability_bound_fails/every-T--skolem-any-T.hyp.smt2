; symrelu obligation skolem-any-T.hyp
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: hypotheses only of skolem-any-T (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun P () Real)
(declare-fun epsilon () Real)
(declare-fun eta () Real)
(assert (> eta 0.0))
(assert (>= (/ 1.0 2.0) eta))
(assert (>= P 1.0))
(assert (= (* 2.0 epsilon (+ P 1.0)) eta))
(check-sat)
(exit)
