; symrelu obligation pair-beats-hessian-bound.hyp
; check: c2_mean_value_fails
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2
; region: hypotheses only of pair-beats-hessian-bound (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun t () Real)
(assert (> t 0.0))
(assert (> (/ 1.0 5.0) t))
(check-sat)
(exit)
