; symrelu obligation dead-run-stays
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: {w1 < 0, w2 < 0}: the gradient is 0, so theta'_t = theta'_0 for all t
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun w1 () Real)
(declare-fun w2 () Real)
(assert (< w1 0.0))
(assert (< w2 0.0))
(assert (let ((a!1 (- (+ (ite (> w1 0.0) w1 0.0) (ite (> w2 0.0) w2 0.0)) 1.0)))
(let ((a!2 (distinct (* a!1 (ite (> w1 0.0) 1.0 0.0)) 0.0))
      (a!3 (distinct (* a!1 (ite (> w2 0.0) 1.0 0.0)) 0.0)))
  (or a!2 a!3))))
(check-sat)
(exit)
