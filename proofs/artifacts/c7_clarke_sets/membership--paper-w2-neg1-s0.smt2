; symrelu obligation paper-w2-neg1-s0
; check: c7_backprop_in_clarke
; subject: backprop ('0', '0') with relu'(0)=0 at ('0', '-1')
; region: conv[('-1', '0'), ('0', '0')]
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun lambda_0 () Real)
(declare-fun lambda_1 () Real)
(assert (>= lambda_0 0.0))
(assert (>= lambda_1 0.0))
(assert (= (+ lambda_0 lambda_1) 1.0))
(assert (= 0.0 (+ (* (- 1.0) lambda_0) (* 0.0 lambda_1))))
(assert (= 0.0 (+ (* 0.0 lambda_0) (* 0.0 lambda_1))))
(check-sat)
(exit)
