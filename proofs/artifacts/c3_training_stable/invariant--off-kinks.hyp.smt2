; symrelu obligation off-kinks.hyp
; check: c3_gd_invariant
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD
; region: hypotheses only of off-kinks (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun w1 () Real)
(declare-fun w2 () Real)
(assert (and (= w1 w2) (> w1 0.0) (>= (/ 1.0 2.0) w1)))
(check-sat)
(exit)
