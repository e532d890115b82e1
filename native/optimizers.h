/*
 * optimizers.h: the per-element math of every sparse optimizer, written once
 * and used by all three builds (CPU, CUDA, Thrust-OpenMP). The callers sum a
 * touched row's gradient over its duplicates first; these functions then step
 * one element of that row.
 *
 * The plain-Java twin is org.scatterlens.kernels.JavaKernels: keep the two in
 * the same order of operations so they agree to rounding.
 */
#ifndef SCATTERLENS_OPTIMIZERS_H
#define SCATTERLENS_OPTIMIZERS_H

#include <math.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define SL_HD __host__ __device__ __forceinline__
#else
#define SL_HD inline
#endif

/* g: the row's summed gradient for this element; w: the element's weight before the step. */
SL_HD float sl_l2_grad(float g, float w, float l2) { return g + 2.0f * l2 * w; }

SL_HD void sl_sgd_elem(float* w, float g, float lr, float l2) {
    float gt = sl_l2_grad(g, *w, l2);
    *w = *w - lr * gt;
}

SL_HD void sl_adagrad_elem(float* w, float* accum, float g, float lr, float l2, float eps) {
    float gt = sl_l2_grad(g, *w, l2);
    float a = *accum + gt * gt;
    *accum = a;
    *w = *w - lr * gt / (sqrtf(a) + eps);
}

/*
 * Adam's bias correction for step count t >= 1: sqrt(1 - b2^t) / (1 - b1^t);
 * the step size is lr * this. Computed in double: for t = 1 and b2 = 0.999 a
 * float subtraction would lose half its digits. The CPU build memoizes it
 * per t (sl::AdamCorrections); the GPU computes it once per touched row.
 */
SL_HD float sl_adam_correction(float beta1, float beta2, int64_t t) {
    double bc1 = -expm1((double)t * log((double)beta1));
    double bc2 = -expm1((double)t * log((double)beta2));
    return (float)(sqrt(bc2) / bc1);
}

SL_HD void sl_adam_elem(float* w, float* m, float* v, float g, float stepSize /* lr * sl_adam_correction */,
                        float l2, float beta1, float beta2, float eps) {
    float gt = sl_l2_grad(g, *w, l2);
    float mt = beta1 * *m + (1.0f - beta1) * gt;
    float vt = beta2 * *v + (1.0f - beta2) * gt * gt;
    *m = mt;
    *v = vt;
    *w = *w - stepSize * mt / (sqrtf(vt) + eps);
}

#endif /* SCATTERLENS_OPTIMIZERS_H */
