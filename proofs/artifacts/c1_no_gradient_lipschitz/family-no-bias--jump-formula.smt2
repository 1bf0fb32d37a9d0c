; symrelu obligation jump-formula
; check: no_global_gradient_lipschitz_family
; subject: one-hidden-layer net, symbolic weights and data
; region: kink of neuron j at data point x (w x + b = 0), only that kink crossed
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun R () Real)
(declare-fun a () Real)
(declare-fun b () Real)
(declare-fun n () Real)
(declare-fun w () Real)
(declare-fun x () Real)
(declare-fun y () Real)
(assert (>= n 1.0))
(assert (distinct a 0.0))
(assert (distinct (- R y) 0.0))
(assert (distinct x 0.0))
(assert (= (+ (* w x) b) 0.0))
(assert (let ((a!1 (+ (* R a x) (* (- 1.0) a x y))))
(let ((a!2 (= (+ (* 0.0 0.0) (* a!1 a!1))
              (* a a (- R y) (- R y) (+ (* x x) 0.0)))))
(let ((a!3 (and a!2 (> (+ (* 0.0 0.0) (* a!1 a!1)) 0.0))))
  (not a!3)))))
(check-sat)
(exit)
