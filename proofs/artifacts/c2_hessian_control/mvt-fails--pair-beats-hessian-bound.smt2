; symrelu obligation pair-beats-hessian-bound
; check: c2_mean_value_fails
; subject: paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2
; region: theta=(t,-1) in {w1>0,w2<0}, theta'=(-t,-1) in {w1<0,w2<0}, 0 < t < 1/5; bound 2 = sup Hessian norm
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun t () Real)
(assert (> t 0.0))
(assert (> (/ 1.0 5.0) t))
(assert (let ((a!1 (- (+ (ite (> t 0.0) t 0.0) (ite (> (- 1.0) 0.0) (- 1.0) 0.0)) 1.0))
      (a!2 (+ (ite (> (- t) 0.0) (- t) 0.0) (ite (> (- 1.0) 0.0) (- 1.0) 0.0))))
(let ((a!3 (* (- a!2 1.0) (ite (> (- t) 0.0) 1.0 0.0)))
      (a!5 (- (* a!1 (ite (> (- 1.0) 0.0) 1.0 0.0))
              (* (- a!2 1.0) (ite (> (- 1.0) 0.0) 1.0 0.0)))))
(let ((a!4 (- (* a!1 (ite (> t 0.0) 1.0 0.0)) a!3)))
  (<= (+ (* a!4 a!4) (* a!5 a!5)) (* 4.0 (* 2.0 t) (* 2.0 t)))))))
(check-sat)
(exit)
