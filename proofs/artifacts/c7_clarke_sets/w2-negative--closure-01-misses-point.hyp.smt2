; symrelu obligation closure-01-misses-point.hyp
; check: c7_clarke_w2_negative
; subject: paper instance at (0, w2), every w2 < 0
; region: hypotheses only of closure-01-misses-point (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun w2 () Real)
(assert (< w2 0.0))
(check-sat)
(exit)
