; symrelu obligation contraction
; check: c3_gd_invariant
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD
; region: one GD step, every eta in (0,1/2]
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun eta () Real)
(declare-fun w1 () Real)
(declare-fun w2 () Real)
(assert (> eta 0.0))
(assert (>= (/ 1.0 2.0) eta))
(assert (and (= w1 w2) (> w1 0.0) (>= (/ 1.0 2.0) w1)))
(assert (let ((a!1 (- (+ (ite (> w1 0.0) w1 0.0) (ite (> w2 0.0) w2 0.0)) 1.0)))
(let ((a!2 (- w1 (* eta a!1 (ite (> w1 0.0) 1.0 0.0)))))
(let ((a!3 (= (- a!2 (/ 1.0 2.0)) (* (- 1.0 (* 2.0 eta)) (- w1 (/ 1.0 2.0))))))
(let ((a!4 (and a!3 (>= (- 1.0 (* 2.0 eta)) 0.0) (< (- 1.0 (* 2.0 eta)) 1.0))))
  (not a!4))))))
(check-sat)
(exit)
