; symrelu obligation residual-bound-d0-o0.hyp
; check: lipschitz_on_domain
; subject: paper_instance.json
; region: hypotheses only of residual-bound-d0-o0 (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status sat)
(declare-fun a_d0_h0_0 () Real)
(declare-fun a_d0_h0_1 () Real)
(declare-fun u.t.w1 () Real)
(declare-fun u.t.w2 () Real)
(assert (<= (- 1.0) u.t.w1))
(assert (>= 1.0 u.t.w1))
(assert (<= (- 1.0) u.t.w2))
(assert (>= 1.0 u.t.w2))
(assert (= a_d0_h0_0 (ite (> (* u.t.w1 1.0) 0.0) (* u.t.w1 1.0) 0.0)))
(assert (= a_d0_h0_1 (ite (> (* u.t.w2 1.0) 0.0) (* u.t.w2 1.0) 0.0)))
(check-sat)
(exit)
