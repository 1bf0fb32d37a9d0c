; symrelu obligation skolem-pair-in-regions
; check: no_global_gradient_lipschitz_paper
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2
; region: kink ('0', '-1') along ('1', '0'); t(L)=1/4/(L+1)
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun L () Real)
(declare-fun t () Real)
(assert (> L 0.0))
(assert (= (/ 1.0 4.0) (* t (+ L 1.0))))
(assert (let ((a!1 (and (> t 0.0)
                (< 0.0 (+ 0.0 (* t 1.0)))
                (> 0.0 (+ (- 1.0) (* t 0.0)))
                (> 0.0 (- 0.0 (* t 1.0)))
                (> 0.0 (- (- 1.0) (* t 0.0))))))
  (not a!1)))
(check-sat)
(exit)
