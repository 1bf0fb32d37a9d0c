; symrelu obligation jump-formula
; check: no_global_gradient_lipschitz_leaky_family
; subject: one-hidden-layer LeakyReLU(alpha) net, symbolic weights, data and alpha (our extension)
; region: kink of neuron j at data point x (w x + b = 0), only that kink crossed; 0 <= alpha < 1
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun R () Real)
(declare-fun a () Real)
(declare-fun alpha () Real)
(declare-fun b () Real)
(declare-fun n () Real)
(declare-fun w () Real)
(declare-fun x () Real)
(declare-fun y () Real)
(assert (>= n 1.0))
(assert (distinct a 0.0))
(assert (distinct (- R y) 0.0))
(assert (>= alpha 0.0))
(assert (< alpha 1.0))
(assert (= (+ (* w x) b) 0.0))
(assert (let ((a!1 (+ (* R a x)
              (* (- 1.0) a x y)
              (* a alpha x y)
              (* (- 1.0) R a alpha x)))
      (a!2 (+ (* R a) (* (- 1.0) a y) (* a alpha y) (* (- 1.0) R a alpha))))
(let ((a!3 (+ (* 0.0 0.0) (* a!1 a!1) (* a!2 a!2))))
(let ((a!4 (= a!3
              (* (- 1.0 alpha)
                 (- 1.0 alpha)
                 a
                 a
                 (- R y)
                 (- R y)
                 (+ (* x x) 1.0)))))
  (not (and a!4 (> a!3 0.0)))))))
(check-sat)
(exit)
