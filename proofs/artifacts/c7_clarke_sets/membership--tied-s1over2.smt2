; symrelu obligation tied-s1over2
; check: c7_backprop_in_clarke
; subject: backprop ('-1',) with relu'(0)=1/2 at ('0',)
; region: conv[('-1',)]
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun lambda_0 () Real)
(assert (>= lambda_0 0.0))
(assert (= lambda_0 1.0))
(assert (= (- 1.0) (* (- 1.0) lambda_0)))
(check-sat)
(exit)
