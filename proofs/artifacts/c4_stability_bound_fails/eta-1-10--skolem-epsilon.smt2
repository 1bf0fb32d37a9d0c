; symrelu obligation skolem-epsilon
; check: gd_amplification_unbounded
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2
; region: epsilon(beta)=1/(2(beta+2)); eta=1/10
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun amp () Real)
(declare-fun beta () Real)
(declare-fun epsilon () Real)
(assert (> beta 0.0))
(assert (= (* 2.0 epsilon (+ beta 2.0)) 1.0))
(assert (= (* (* 2.0 epsilon) amp)
   (+ (* (* 2.0 epsilon) (- 1.0 (/ 1.0 10.0))) (/ 1.0 10.0))))
(assert (let ((a!1 (and (> epsilon 0.0)
                (> (/ 1.0 2.0) epsilon)
                (> amp (+ 1.0 (* (/ 1.0 10.0) beta))))))
  (not a!1)))
(check-sat)
(exit)
