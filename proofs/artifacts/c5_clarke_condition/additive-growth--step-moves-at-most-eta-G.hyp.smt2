; symrelu obligation step-moves-at-most-eta-G.hyp
; check: subgradient_stability_bound
; subject: any loss whose subgradients on D have norm <= G
; region: hypotheses only of step-moves-at-most-eta-G (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun B () Real)
(declare-fun G () Real)
(declare-fun g_0 () Real)
(declare-fun g_1 () Real)
(declare-fun ng () Real)
(assert (>= G 0.0))
(assert (= 2.0 (* G G)))
(assert (>= ng 0.0))
(assert (= (* ng ng) (+ (* g_0 g_0) (* g_1 g_1))))
(assert (<= ng G))
(assert (>= B 0.0))
(assert (= (* B B)
   (+ (* (* (/ 1.0 10.0) g_0) (* (/ 1.0 10.0) g_0))
      (* (* (/ 1.0 10.0) g_1) (* (/ 1.0 10.0) g_1)))))
(check-sat)
(exit)
