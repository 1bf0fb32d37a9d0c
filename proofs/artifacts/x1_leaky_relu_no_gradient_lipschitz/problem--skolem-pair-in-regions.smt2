; symrelu obligation skolem-pair-in-regions
; check: no_global_gradient_lipschitz
; subject: leaky_paper_instance.json
; region: kink ('-1/2', '0') along ('0', '1'); t(L)=189/800/(L+1)
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun L () Real)
(declare-fun t () Real)
(assert (> L 0.0))
(assert (= (/ 189.0 800.0) (* t (+ L 1.0))))
(assert (let ((a!1 (and (> t 0.0)
                (> 0.0 (+ (- (/ 1.0 2.0)) (* t 0.0)))
                (< 0.0 (+ 0.0 (* t 1.0)))
                (> 0.0 (- (- (/ 1.0 2.0)) (* t 0.0)))
                (> 0.0 (- 0.0 (* t 1.0))))))
  (not a!1)))
(check-sat)
(exit)
