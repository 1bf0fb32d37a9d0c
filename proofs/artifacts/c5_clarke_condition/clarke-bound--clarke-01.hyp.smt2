; symrelu obligation clarke-01.hyp
; check: clarke_bound
; subject: paper_instance.json
; region: hypotheses only of clarke-01 (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun u.w1 () Real)
(declare-fun u.w2 () Real)
(assert (<= (- 1.0) u.w1))
(assert (>= 1.0 u.w1))
(assert (<= (- 1.0) u.w2))
(assert (>= 1.0 u.w2))
(assert (>= 0.0 u.w1))
(assert (<= 0.0 u.w2))
(check-sat)
(exit)
