/*
 * tower.h: the dense half of a training step as one host call, for the fused
 * engine (DESIGN.md): the tower's forward pass, the MSE loss, the backward pass
 * and one optimizer step of the tower's parameters. With scatterlens.h's gather
 * before it and its sparse updates after it, a whole step is four native calls
 * and no ND4J op.
 *
 * CPU build only (native/cpu/tower_cpu.cpp). The GPU fused engine belongs to
 * the CUDA issue; the CUDA and Thrust builds do not declare these verbs.
 *
 * Conventions are scatterlens.h's: SL_OK or an SL_E* code, sl_last_error()
 * names the verb and the value; every buffer is host memory, row-major floats.
 *
 * The model (same layout as ND4J's flat parameter vector and ModelParameters):
 *   widths[0]   = du + di, the gathered input X (n, widths[0]) = [user row | movie row]
 *   nLayers >= 1: A[l] = act(A[l-1] W[l] + b[l]) for l < nLayers, y = A[L-1] W[L] + b[L] (linear),
 *                 widths[nLayers] == 1; params = W[1] (w0 x w1), b[1] (w1), W[2], b[2], ...
 *   nLayers == 0: matrix factorization, y = sum_k X[:, k] * X[:, d + k] with d = widths[0] / 2; no params
 *   biasPair    = NULL or (n, 2) [user bias | movie bias]: y += (pair[0] + pair[1])
 *
 * Loss: L = mean((y - t)^2); dy = 2 (y - t) / n (the gradient the bias rows take);
 * sums = {sum (y - t)^2, sum |y - t|} in double, from the predictions before the update.
 *
 * Optimizer state (optState), ND4J's flat layout over the P parameters:
 *   SL_OPT_SGD     none (may be NULL)
 *   SL_OPT_ADAGRAD h (P), starting at eps:     h += g^2;  p -= lr g / (sqrt(h) + eps)
 *   SL_OPT_ADAM    m (P) then v (P), from 0:   m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 *                  p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps),  t = step (from 1)
 *
 * Threads: sl_set_threads(). Row blocks are split statically across threads and their parameter
 * gradients summed in thread order: the same thread count gives bit-identical results.
 */
#ifndef SCATTERLENS_TOWER_H
#define SCATTERLENS_TOWER_H

#include "scatterlens.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Activation of the hidden layers; the last layer is always linear. */
#define SL_ACT_LINEAR 0
#define SL_ACT_RELU 1      /* derivative 0 at 0, as ND4J's step(a) */
#define SL_ACT_TANH 2
#define SL_ACT_SIGMOID 3

#define SL_OPT_SGD 0
#define SL_OPT_ADAGRAD 1
#define SL_OPT_ADAM 2

/* Parameters of the tower described by (nLayers, widths): sum of w[l-1] * w[l] + w[l]. */
int sl_tower_size(int32_t nLayers, const int32_t* widths, int64_t* params);

/*
 * One training step of the dense half: forward, loss, backward, optimizer step of params.
 * Writes dx (n, widths[0]) = dL/dX from the weights before the step, dy (n) = dL/dy, and
 * sums[2] = {sum of squared errors, sum of absolute errors}. n == 0 changes nothing.
 */
int sl_tower_train(int32_t nLayers, const int32_t* widths, int32_t activation, float* params,
                   int32_t optimizer, float* optState, float lr, float beta1, float beta2, float eps,
                   int64_t step,
                   const float* x, const float* biasPair, const float* targets, int64_t n,
                   float* dx, float* dy, double* sums);

/* Forward pass only: y (n) = the model's centered predictions. */
int sl_tower_predict(int32_t nLayers, const int32_t* widths, int32_t activation, const float* params,
                     const float* x, const float* biasPair, int64_t n, float* y);

#ifdef __cplusplus
}
#endif

#endif
