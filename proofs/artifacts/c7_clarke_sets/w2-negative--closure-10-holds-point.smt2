; symrelu obligation closure-10-holds-point
; check: c7_clarke_w2_negative
; subject: paper instance at (0, w2), every w2 < 0
; region: closure of region 10
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status unsat)
(declare-fun w2 () Real)
(assert (< w2 0.0))
(assert (not (and (>= (* 1.0 0.0) 0.0) (<= (* 1.0 w2) 0.0))))
(check-sat)
(exit)
