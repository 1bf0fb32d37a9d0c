; symrelu obligation tied-s0
; check: c7_backprop_in_clarke
; subject: backprop ('0',) with relu'(0)=0 at ('0',)
; region: conv[('-1',)]
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status unsat)
(declare-fun lambda_0 () Real)
(assert (>= lambda_0 0.0))
(assert (= lambda_0 1.0))
(assert (= 0.0 (* (- 1.0) lambda_0)))
(check-sat)
(exit)
