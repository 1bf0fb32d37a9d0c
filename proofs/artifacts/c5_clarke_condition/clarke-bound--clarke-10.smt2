; symrelu obligation clarke-10
; check: clarke_bound
; subject: paper_instance.json
; region: closed region 10 within D; G^2 = 2
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun u.w1 () Real)
(declare-fun u.w2 () Real)
(assert (<= (- 1.0) u.w1))
(assert (>= 1.0 u.w1))
(assert (<= (- 1.0) u.w2))
(assert (>= 1.0 u.w2))
(assert (<= 0.0 u.w1))
(assert (>= 0.0 u.w2))
(assert (< 2.0 (+ 1.0 (* u.w1 u.w1) (* (- 2.0) u.w1))))
(check-sat)
(exit)
