; symrelu obligation cauchy-schwarz
; check: subgradient_stability_bound
; subject: any loss whose subgradients on D have norm <= G
; region: R^2
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun a () Real)
(declare-fun b () Real)
(declare-fun g_0 () Real)
(declare-fun g_1 () Real)
(declare-fun u_0 () Real)
(declare-fun u_1 () Real)
(assert (>= a 0.0))
(assert (>= b 0.0))
(assert (= (* a a) (+ (* u_0 u_0) (* u_1 u_1))))
(assert (= (* b b) (+ (* g_0 g_0) (* g_1 g_1))))
(assert (> (+ (* u_0 g_0) (* u_1 g_1)) (* a b)))
(check-sat)
(exit)
