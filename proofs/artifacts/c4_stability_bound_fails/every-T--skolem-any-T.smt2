; symrelu obligation skolem-any-T
; check: c4_every_horizon
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)
; region: P = (1 + eta beta)^T >= 1 free; eps(P) = eta/(2(P+1)) gives (w_1 + eps)/(2 eps) > P
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun P () Real)
(declare-fun epsilon () Real)
(declare-fun eta () Real)
(assert (> eta 0.0))
(assert (>= (/ 1.0 2.0) eta))
(assert (>= P 1.0))
(assert (= (* 2.0 epsilon (+ P 1.0)) eta))
(assert (let ((a!1 (- (+ (ite (> epsilon 0.0) epsilon 0.0)
                 (ite (> epsilon 0.0) epsilon 0.0))
              1.0)))
(let ((a!2 (- epsilon (* eta a!1 (ite (> epsilon 0.0) 1.0 0.0)))))
  (not (and (> epsilon 0.0)
            (> (/ 1.0 2.0) epsilon)
            (> (+ a!2 epsilon) (* 2.0 epsilon P)))))))
(check-sat)
(exit)
