; symrelu obligation tied-s0.hyp
; check: c7_backprop_in_clarke
; subject: backprop ('0',) with relu'(0)=0 at ('0',)
; region: hypotheses only of tied-s0 (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun lambda_0 () Real)
(assert (>= lambda_0 0.0))
(assert (= lambda_0 1.0))
(check-sat)
(exit)
