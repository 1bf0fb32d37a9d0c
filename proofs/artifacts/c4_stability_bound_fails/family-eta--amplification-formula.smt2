; symrelu obligation amplification-formula
; check: gd_amplification_unbounded
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2
; region: theta0=(eps,eps) in ++, theta0'=(-eps,-eps) in --; eta in (0,1/2]
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun amp () Real)
(declare-fun epsilon () Real)
(declare-fun eta () Real)
(assert (> eta 0.0))
(assert (>= (/ 1.0 2.0) eta))
(assert (> epsilon 0.0))
(assert (> (/ 1.0 2.0) epsilon))
(assert (= (* (* 2.0 epsilon) amp) (+ (* (* 2.0 epsilon) (- 1.0 eta)) eta)))
(assert (let ((a!1 (- (+ (ite (> epsilon 0.0) epsilon 0.0)
                 (ite (> epsilon 0.0) epsilon 0.0))
              1.0))
      (a!3 (+ (ite (> (- epsilon) 0.0) (- epsilon) 0.0)
              (ite (> (- epsilon) 0.0) (- epsilon) 0.0)))
      (a!6 (+ (* (- epsilon (- epsilon)) (- epsilon (- epsilon)))
              (* (- epsilon (- epsilon)) (- epsilon (- epsilon))))))
(let ((a!2 (- epsilon (* eta a!1 (ite (> epsilon 0.0) 1.0 0.0))))
      (a!4 (* eta (- a!3 1.0) (ite (> (- epsilon) 0.0) 1.0 0.0))))
(let ((a!5 (* (- a!2 (- (- epsilon) a!4)) (- a!2 (- (- epsilon) a!4)))))
  (not (and (> amp 0.0) (= (+ a!5 a!5) (* amp amp a!6))))))))
(check-sat)
(exit)
