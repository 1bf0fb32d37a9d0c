; symrelu obligation expansion
; check: subgradient_stability_bound
; subject: any loss whose subgradients on D have norm <= G
; region: R^2; G^2=2; eta=1/10
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun g_0 () Real)
(declare-fun g_1 () Real)
(declare-fun h_0 () Real)
(declare-fun h_1 () Real)
(declare-fun u_0 () Real)
(declare-fun u_1 () Real)
(assert (let ((a!1 (* (+ (- u_0 (* (/ 1.0 10.0) g_0)) (* (/ 1.0 10.0) h_0))
              (+ (- u_0 (* (/ 1.0 10.0) g_0)) (* (/ 1.0 10.0) h_0))))
      (a!2 (* (+ (- u_1 (* (/ 1.0 10.0) g_1)) (* (/ 1.0 10.0) h_1))
              (+ (- u_1 (* (/ 1.0 10.0) g_1)) (* (/ 1.0 10.0) h_1))))
      (a!3 (* 2.0 (+ (* u_0 (* (/ 1.0 10.0) g_0)) (* u_1 (* (/ 1.0 10.0) g_1)))))
      (a!5 (* 2.0 (+ (* u_0 (* (/ 1.0 10.0) h_0)) (* u_1 (* (/ 1.0 10.0) h_1)))))
      (a!6 (* 2.0
              (+ (* (* (/ 1.0 10.0) g_0) (* (/ 1.0 10.0) h_0))
                 (* (* (/ 1.0 10.0) g_1) (* (/ 1.0 10.0) h_1))))))
(let ((a!4 (- (+ (* u_0 u_0)
                 (* u_1 u_1)
                 (* (* (/ 1.0 10.0) g_0) (* (/ 1.0 10.0) g_0))
                 (* (* (/ 1.0 10.0) g_1) (* (/ 1.0 10.0) g_1))
                 (* (* (/ 1.0 10.0) h_0) (* (/ 1.0 10.0) h_0))
                 (* (* (/ 1.0 10.0) h_1) (* (/ 1.0 10.0) h_1)))
              a!3)))
  (distinct (+ a!1 a!2) (- (+ a!4 a!5) a!6)))))
(check-sat)
(exit)
