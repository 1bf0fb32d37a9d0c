; symrelu obligation initiation.hyp
; check: c3_gd_invariant
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD
; region: hypotheses only of initiation (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun epsilon () Real)
(assert (> epsilon 0.0))
(assert (> (/ 1.0 2.0) epsilon))
(check-sat)
(exit)
