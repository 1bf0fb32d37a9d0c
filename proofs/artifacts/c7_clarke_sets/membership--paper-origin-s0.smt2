; symrelu obligation paper-origin-s0
; check: c7_backprop_in_clarke
; subject: backprop ('0', '0') with relu'(0)=0 at ('0', '0')
; region: conv[('-1', '-1'), ('-1', '0'), ('0', '-1'), ('0', '0')]
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun lambda_0 () Real)
(declare-fun lambda_1 () Real)
(declare-fun lambda_2 () Real)
(declare-fun lambda_3 () Real)
(assert (>= lambda_0 0.0))
(assert (>= lambda_1 0.0))
(assert (>= lambda_2 0.0))
(assert (>= lambda_3 0.0))
(assert (= (+ lambda_0 lambda_1 lambda_2 lambda_3) 1.0))
(assert (= 0.0
   (+ (* (- 1.0) lambda_0)
      (* (- 1.0) lambda_1)
      (* 0.0 lambda_2)
      (* 0.0 lambda_3))))
(assert (= 0.0
   (+ (* (- 1.0) lambda_0)
      (* 0.0 lambda_1)
      (* (- 1.0) lambda_2)
      (* 0.0 lambda_3))))
(check-sat)
(exit)
