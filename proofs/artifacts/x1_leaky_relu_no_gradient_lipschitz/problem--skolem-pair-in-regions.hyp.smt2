; symrelu obligation skolem-pair-in-regions.hyp
; check: no_global_gradient_lipschitz
; subject: leaky_paper_instance.json
; region: hypotheses only of skolem-pair-in-regions (must be satisfiable)
; expected: sat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status sat)
(declare-fun L () Real)
(declare-fun t () Real)
(assert (> L 0.0))
(assert (= (/ 189.0 800.0) (* t (+ L 1.0))))
(check-sat)
(exit)
