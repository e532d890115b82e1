/*
 * kernels_thrust_omp.cpp: the CUDA tier's logic (sparse_thrust.h) built by
 * g++ against Thrust's OpenMP backend. Its job is to let the GPU code path be
 * tested where no GPU exists; memory is plain host memory.
 *
 * Built with -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP.
 */
#define SL_HOST_DEVICE_NAME "host CPU (Thrust OpenMP backend)"
#include "../host_verbs.h"
#include "sparse_thrust.h"

#include <thrust/system/omp/execution_policy.h>
#include <thrust/version.h>
#include <omp.h>

#include <string>
#include <vector>

#if THRUST_DEVICE_SYSTEM != THRUST_DEVICE_SYSTEM_OMP
#error "kernels_thrust_omp.cpp must be built with -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP"
#endif

#ifndef SL_BUILD_FLAGS
#define SL_BUILD_FLAGS "unknown"
#endif

namespace {

struct OmpBackend {
    static auto policy() {
        // Thrust's OpenMP backend reads the thread count from the calling thread's ICV.
        omp_set_num_threads(sl::host_threads());
        return thrust::omp::par;
    }
    static int32_t* scratch_ints(int64_t n) {
        static thread_local std::vector<int32_t> buf;
        if ((int64_t)buf.size() < n) buf.resize((size_t)n);
        return buf.data();
    }
    static int32_t load(const int32_t* p) { return *p; }
};

}  // namespace

extern "C" {

const char* sl_build_info(void) {
    static std::string info = std::string("tier=thrust-omp; compiler=g++ ") + __VERSION__ + "; flags=" + SL_BUILD_FLAGS +
                              "; thrust=" + std::to_string(THRUST_MAJOR_VERSION) + "." +
                              std::to_string(THRUST_MINOR_VERSION) + "." + std::to_string(THRUST_SUBMINOR_VERSION) +
                              "; openmp=" + std::to_string(_OPENMP);
    return info.c_str();
}

int sl_gather(const float* userTable, int64_t nUsers, int32_t du, const float* itemTable, int64_t nItems, int32_t di,
              const int32_t* userRows, const int32_t* itemRows, int64_t batch, float* out) {
    return sl_thrust::gather<OmpBackend>(userTable, nUsers, du, itemTable, nItems, di, userRows, itemRows, batch, out);
}

int sl_sgd_update(float* table, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch, const float* grads,
                  int64_t gradStride, float lr, float l2) {
    return sl_thrust::sgd_update<OmpBackend>(table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
}

int sl_adagrad_update(float* table, float* accum, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch,
                      const float* grads, int64_t gradStride, float lr, float l2, float eps) {
    return sl_thrust::adagrad_update<OmpBackend>(table, accum, nRows, dim, rows, batch, grads, gradStride, lr, l2, eps);
}

int sl_adam_update(float* table, float* m, float* v, int32_t* rowSteps, int64_t nRows, int32_t dim, const int32_t* rows,
                   int64_t batch, const float* grads, int64_t gradStride, float lr, float l2, float beta1, float beta2,
                   float eps, int32_t stepMode, int64_t globalStep) {
    return sl_thrust::adam_update<OmpBackend>(table, m, v, rowSteps, nRows, dim, rows, batch, grads, gradStride, lr, l2,
                                              beta1, beta2, eps, stepMode, globalStep);
}

}  // extern "C"
