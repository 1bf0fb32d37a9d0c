; symrelu obligation clarke-00
; check: clarke_bound
; subject: paper_instance.json
; region: closed region 00 within D; G^2 = 2
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status unsat)
(declare-fun u.w1 () Real)
(declare-fun u.w2 () Real)
(assert (<= (- 1.0) u.w1))
(assert (>= 1.0 u.w1))
(assert (<= (- 1.0) u.w2))
(assert (>= 1.0 u.w2))
(assert (>= 0.0 u.w1))
(assert (>= 0.0 u.w2))
(assert (> 0.0 2.0))
(check-sat)
(exit)
