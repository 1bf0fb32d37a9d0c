; symrelu obligation output-variation-d0-o0
; check: lipschitz_on_domain
; subject: paper_instance.json
; region: data point 0, output 0: |f(t) - f(t')| <= sum_j c_j |t_j - t'_j|, c = ['1', '1']
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_LRA)
(set-info :status unsat)
(declare-fun a_d0_h0_0 () Real)
(declare-fun a_d0_h0_1 () Real)
(declare-fun b_d0_h0_0 () Real)
(declare-fun b_d0_h0_1 () Real)
(declare-fun t_w1 () Real)
(declare-fun t_w2 () Real)
(declare-fun tp_w1 () Real)
(declare-fun tp_w2 () Real)
(assert (<= (- 1.0) t_w1))
(assert (>= 1.0 t_w1))
(assert (<= (- 1.0) t_w2))
(assert (>= 1.0 t_w2))
(assert (<= (- 1.0) tp_w1))
(assert (>= 1.0 tp_w1))
(assert (<= (- 1.0) tp_w2))
(assert (>= 1.0 tp_w2))
(assert (= a_d0_h0_0 (ite (> (* t_w1 1.0) 0.0) (* t_w1 1.0) 0.0)))
(assert (= a_d0_h0_1 (ite (> (* t_w2 1.0) 0.0) (* t_w2 1.0) 0.0)))
(assert (= b_d0_h0_0 (ite (> (* tp_w1 1.0) 0.0) (* tp_w1 1.0) 0.0)))
(assert (= b_d0_h0_1 (ite (> (* tp_w2 1.0) 0.0) (* tp_w2 1.0) 0.0)))
(assert (let ((a!1 (ite (>= (- (+ a_d0_h0_0 a_d0_h0_1) (+ b_d0_h0_0 b_d0_h0_1)) 0.0)
                (- (+ a_d0_h0_0 a_d0_h0_1) (+ b_d0_h0_0 b_d0_h0_1))
                (- (- (+ a_d0_h0_0 a_d0_h0_1) (+ b_d0_h0_0 b_d0_h0_1)))))
      (a!2 (* 1.0
              (ite (>= (- t_w1 tp_w1) 0.0) (- t_w1 tp_w1) (- (- t_w1 tp_w1)))))
      (a!3 (* 1.0
              (ite (>= (- t_w2 tp_w2) 0.0) (- t_w2 tp_w2) (- (- t_w2 tp_w2))))))
  (> a!1 (+ a!2 a!3))))
(check-sat)
(exit)
