; symrelu obligation gradient-10-at-point
; check: c7_clarke_w2_negative
; subject: paper instance at (0, w2), every w2 < 0
; region: region 10's polynomial gradient at (0, w2); region 00's is identically 0
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status unsat)
(declare-fun w1 () Real)
(declare-fun w2 () Real)
(assert (< w2 0.0))
(assert (= w1 0.0))
(assert (or (distinct (+ (- 1.0) (* 1.0 w1)) (- 1.0)) (distinct 0.0 0.0)))
(check-sat)
(exit)
