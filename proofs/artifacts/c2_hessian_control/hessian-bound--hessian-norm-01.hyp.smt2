; symrelu obligation hessian-norm-01.hyp
; check: hessian_bound
; subject: paper_instance.json
; region: hypotheses only of hessian-norm-01 (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun mu () Real)
(declare-fun v_0 () Real)
(declare-fun v_1 () Real)
(assert (= 4.0 mu))
(check-sat)
(exit)
