; symrelu obligation dead-run-stays.hyp
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: hypotheses only of dead-run-stays (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun w1 () Real)
(declare-fun w2 () Real)
(assert (< w1 0.0))
(assert (< w2 0.0))
(check-sat)
(exit)
