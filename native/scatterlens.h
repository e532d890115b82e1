/*
 * scatterlens.h: the C ABI of ScatterLens's native kernels.
 *
 * Three builds implement every verb below with these exact arguments:
 *   cpu/kernels_cpu.cpp        C++17 + OpenMP, the CPU tier            -> libjniCpuKernelsLib.so
 *   cuda/kernels_cuda.cu       CUDA (sm_80, sm_90 + compute_90 PTX)    -> libjniCudaKernelsLib.so
 *   thrust/kernels_thrust.cpp  the CUDA tier's Thrust logic built by g++
 *                              against Thrust's OpenMP backend, so it is
 *                              tested on machines with no GPU           -> libjniThrustOmpKernelsLib.so
 * Java binds each build with one JavaCPP class mirroring this header
 * (org.scatterlens.kernels.*KernelsLib); org.scatterlens.kernels.JavaKernels is
 * the plain-Java reference every build is tested against.
 *
 * Conventions
 *   - Every verb returns SL_OK (0) or an SL_E* code; sl_last_error() then holds
 *     a message naming the verb and the bad value (thread-local). No verb exits
 *     or aborts the process.
 *   - Tables are row-major float32: table is (nRows, dim). Row ids are int32 in
 *     [0, nRows). Batches are (B) arrays of row ids and (B, stride) gradient rows.
 *   - "Memory" is host memory for the CPU builds and device memory for CUDA;
 *     sl_alloc / sl_free / sl_copy_* give the right kind for the build.
 *   - Sparse updates always: sort the batch's row ids (stable: duplicates keep
 *     their batch order) -> segment equal ids -> sum each segment's gradient rows
 *     in batch order -> one optimizer step per touched row. No atomics on table
 *     rows, so results are bit-identical run to run and for any thread count.
 *   - L2: each touched row's summed gradient gets + 2*l2*w (Keras's l2(l2)
 *     penalty l2*||w||^2), applied to touched rows only.
 */
#ifndef SCATTERLENS_H
#define SCATTERLENS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SL_OK 0
#define SL_EINVAL 1   /* bad argument: null pointer, negative size, id out of range */
#define SL_ENOMEM 2   /* allocation failed */
#define SL_EDEVICE 3  /* no usable device, or a CUDA runtime error */

/* Adam bias correction: which step count t enters 1 - beta^t. */
#define SL_ADAM_STEP_PER_ROW 0  /* t = times this row was updated (default; rows start unbiased) */
#define SL_ADAM_STEP_GLOBAL 1   /* t = optimizer steps so far (PyTorch SparseAdam) */

/* ---- library --------------------------------------------------------- */

/* Message of the last failed verb on this thread ("" if none). */
const char* sl_last_error(void);
/* One line: tier, compiler, flags, vector ISA, OpenMP / CUDA versions. */
const char* sl_build_info(void);
/* CPU builds: OpenMP threads used by the kernels (n >= 1). CUDA: accepted, no effect. */
int sl_set_threads(int n);
int sl_get_threads(int* n);

/* ---- devices and memory ---------------------------------------------- */

/* CPU builds: 1 (the host). CUDA: visible GPUs; 0 with the reason in sl_last_error(). */
int sl_device_count(int* count);
/* Fills out (outBytes) with "name=<..>;cc=<major.minor>;memory=<bytes>;driver=<version>". */
int sl_device_describe(int device, char* out, int64_t outBytes);
/* CUDA: selects the device and the stream later verbs run on (stream may be 0). */
int sl_set_device(int device, void* stream);
/* bytes >= 0; *out is 64-byte aligned (host) or a device pointer (CUDA). */
int sl_alloc(int64_t bytes, void** out);
int sl_free(void* ptr);
/* host -> memory, memory -> host, memory -> memory; bytes >= 0. */
int sl_copy_to_device(void* dst, const void* hostSrc, int64_t bytes);
int sl_copy_to_host(void* hostDst, const void* src, int64_t bytes);
int sl_copy_device(void* dst, const void* src, int64_t bytes);
/* Sets bytes of memory to zero. */
int sl_zero(void* dst, int64_t bytes);
/* Waits for all queued work (CUDA); returns at once on the CPU. */
int sl_synchronize(void);

/* ---- gather ------------------------------------------------------------ */

/*
 * out[b, 0:du]     = userTable[userRows[b], :]
 * out[b, du:du+di] = itemTable[itemRows[b], :]
 *   userTable  (nUsers, du)
 *   itemTable  (nItems, di)
 *   userRows   (batch)  ids in [0, nUsers)
 *   itemRows   (batch)  ids in [0, nItems)
 *   out        (batch, du + di)
 */
int sl_gather(const float* userTable, int64_t nUsers, int32_t du,
              const float* itemTable, int64_t nItems, int32_t di,
              const int32_t* userRows, const int32_t* itemRows, int64_t batch,
              float* out);

/* ---- sparse updates ----------------------------------------------------
 * Shared arguments:
 *   table      (nRows, dim)       updated in place, touched rows only
 *   rows       (batch)            ids in [0, nRows), duplicates allowed
 *   grads      (batch, gradStride) row b's gradient is grads[b*gradStride + 0 .. dim-1];
 *                                 pass a pointer offset into a wider buffer to pick columns
 *   lr, l2     learning rate, L2 coefficient (>= 0)
 */

/* SGD: w -= lr * g */
int sl_sgd_update(float* table, int64_t nRows, int32_t dim,
                  const int32_t* rows, int64_t batch,
                  const float* grads, int64_t gradStride,
                  float lr, float l2);

/*
 * Adagrad (PyTorch's, lr_decay 0):
 *   accum += g*g;  w -= lr * g / (sqrt(accum) + eps)
 *   accum      (nRows, dim)
 */
int sl_adagrad_update(float* table, float* accum, int64_t nRows, int32_t dim,
                      const int32_t* rows, int64_t batch,
                      const float* grads, int64_t gradStride,
                      float lr, float l2, float eps);

/*
 * Lazy Adam: only touched rows' moments move.
 *   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g
 *   w -= lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)
 * t by stepMode: SL_ADAM_STEP_PER_ROW: rowSteps[row] after its increment;
 *                SL_ADAM_STEP_GLOBAL:  globalStep (the caller's count, >= 1).
 *   m, v       (nRows, dim)
 *   rowSteps   (nRows)  incremented for every touched row in both modes
 */
int sl_adam_update(float* table, float* m, float* v, int32_t* rowSteps,
                   int64_t nRows, int32_t dim,
                   const int32_t* rows, int64_t batch,
                   const float* grads, int64_t gradStride,
                   float lr, float l2, float beta1, float beta2, float eps,
                   int32_t stepMode, int64_t globalStep);

#ifdef __cplusplus
}
#endif

#endif /* SCATTERLENS_H */
