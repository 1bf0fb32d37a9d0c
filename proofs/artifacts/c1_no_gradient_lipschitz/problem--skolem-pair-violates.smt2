; symrelu obligation skolem-pair-violates
; check: no_global_gradient_lipschitz
; subject: paper_instance.json
; region: kink ('-1/2', '0') along ('0', '1'); t(L)=1/4/(L+1)
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun L () Real)
(declare-fun t () Real)
(assert (> L 0.0))
(assert (= (/ 1.0 4.0) (* t (+ L 1.0))))
(assert (let ((a!1 (* (- (+ (- 1.0) 0.0 (* t 1.0)) 0.0)
              (- (+ (- 1.0) 0.0 (* t 1.0)) 0.0))))
  (<= (+ (* (- 0.0 0.0) (- 0.0 0.0)) a!1) (* L L 4.0 t t))))
(check-sat)
(exit)
