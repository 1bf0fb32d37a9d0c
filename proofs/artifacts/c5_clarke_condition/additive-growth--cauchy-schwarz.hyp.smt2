; symrelu obligation cauchy-schwarz.hyp
; check: subgradient_stability_bound
; subject: any loss whose subgradients on D have norm <= G
; region: hypotheses only of cauchy-schwarz (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
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
(check-sat)
(exit)
