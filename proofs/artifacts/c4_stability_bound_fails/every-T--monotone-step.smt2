; symrelu obligation monotone-step
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: C3 invariant: one GD step never decreases w, so w_T >= w_1 for T >= 1
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
  (< a!2 w1))))
(check-sat)
(exit)
