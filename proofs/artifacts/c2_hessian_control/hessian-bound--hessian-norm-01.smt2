; symrelu obligation hessian-norm-01
; check: hessian_bound
; subject: paper_instance.json
; region: region 01 (constant Hessian)
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun mu () Real)
(declare-fun v_0 () Real)
(declare-fun v_1 () Real)
(assert (= 4.0 mu))
(assert (let ((a!1 (+ (* (+ (* 0.0 v_0) (* 0.0 v_1)) (+ (* 0.0 v_0) (* 0.0 v_1)))
              (* (+ (* 0.0 v_0) (* 1.0 v_1)) (+ (* 0.0 v_0) (* 1.0 v_1))))))
(let ((a!2 (- a!1 (* mu (+ (* v_0 v_0) (* v_1 v_1))))))
  (< 0.0 a!2))))
(check-sat)
(exit)
