; symrelu obligation jump-formula.hyp
; check: no_global_gradient_lipschitz_family
; subject: one-hidden-layer net, symbolic weights and data
; region: hypotheses only of jump-formula (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
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
(assert (= (+ (* w x) b) 0.0))
(check-sat)
(exit)
