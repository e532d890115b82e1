/*
 * kernels_cuda.cu: the CUDA build of scatterlens.h. Kernel logic is
 * thrust/sparse_thrust.h (shared with the Thrust-OpenMP build that is tested
 * without a GPU); this file adds what only a GPU has: device memory, the
 * stream the verbs run on, device queries and a caching allocator for Thrust's
 * temporaries (a cudaMalloc per batch would cost more than the kernels).
 *
 * The runtime is linked statically (nvcc's default), so the library loads on a
 * machine without a CUDA driver; sl_device_count then reports 0 and why.
 */
#include "../thrust/sparse_thrust.h"

#include <cuda_runtime.h>
#include <thrust/system/cuda/execution_policy.h>
#include <thrust/version.h>

#include <dlfcn.h>

#include <map>
#include <mutex>
#include <string>

#ifndef SL_BUILD_FLAGS
#define SL_BUILD_FLAGS "unknown"
#endif

namespace {

#define SL_CUDA_CHECK(verb, call)                                                                  \
    do {                                                                                           \
        cudaError_t err_ = (call);                                                                 \
        if (err_ != cudaSuccess)                                                                   \
            return sl::fail(SL_EDEVICE, verb, "%s failed: %s", #call, cudaGetErrorString(err_));   \
    } while (0)

cudaStream_t g_stream = 0;

/*
 * Thrust temporaries: blocks kept in a free list by size and reused, so that
 * after the first batches no call allocates device memory.
 */
class CachingAllocator {
  public:
    typedef char value_type;

    char* allocate(std::ptrdiff_t n) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = free_.lower_bound(n);
        if (it != free_.end()) {
            char* p = it->second;
            used_[p] = it->first;
            free_.erase(it);
            return p;
        }
        char* p = nullptr;
        if (cudaMalloc(&p, n) != cudaSuccess) throw std::bad_alloc();
        used_[p] = n;
        return p;
    }

    void deallocate(char* p, size_t) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = used_.find(p);
        free_.emplace(it->second, p);
        used_.erase(it);
    }

  private:
    std::mutex mutex_;
    std::multimap<std::ptrdiff_t, char*> free_;
    std::map<char*, std::ptrdiff_t> used_;
};

CachingAllocator& allocator() {
    static CachingAllocator a;
    return a;
}

struct CudaBackend {
    static auto policy() { return thrust::cuda::par_nosync(allocator()).on(g_stream); }
    static int32_t* scratch_ints(int64_t n) {
        static int32_t* buf = nullptr;
        static int64_t capacity = 0;
        if (capacity < n) {
            // Work queued on the stream may still read the old buffer.
            cudaStreamSynchronize(g_stream);
            cudaFree(buf);
            buf = nullptr;
            capacity = 0;
            if (cudaMalloc(&buf, sizeof(int32_t) * n) != cudaSuccess) return nullptr;
            capacity = n;
        }
        return buf;
    }
    static int32_t load(const int32_t* p) {
        int32_t value = 0;
        cudaMemcpyAsync(&value, p, sizeof value, cudaMemcpyDeviceToHost, g_stream);
        cudaStreamSynchronize(g_stream);
        return value;
    }
};

/* Thrust reports CUDA failures by throwing; a C ABI must return them instead. */
template <class F>
int guarded(const char* verb, F f) {
    try {
        int rc = f();
        if (rc != SL_OK) return rc;
        cudaError_t err = cudaGetLastError();
        if (err != cudaSuccess) return sl::fail(SL_EDEVICE, verb, "kernel launch failed: %s", cudaGetErrorString(err));
        return rc;
    } catch (const std::exception& e) {
        return sl::fail(SL_EDEVICE, verb, "%s", e.what());
    }
}

}  // namespace

extern "C" {

const char* sl_last_error(void) { return sl::error_slot().c_str(); }

const char* sl_build_info(void) {
    static std::string info = std::string("tier=cuda; nvcc=") + std::to_string(__CUDACC_VER_MAJOR__) + "." +
                              std::to_string(__CUDACC_VER_MINOR__) + "; runtime=" + std::to_string(CUDART_VERSION) +
                              " (static); flags=" + SL_BUILD_FLAGS + "; thrust=" + std::to_string(THRUST_MAJOR_VERSION) +
                              "." + std::to_string(THRUST_MINOR_VERSION) + "." + std::to_string(THRUST_SUBMINOR_VERSION);
    return info.c_str();
}

int sl_set_threads(int n) {
    SL_REQUIRE(n >= 1, "sl_set_threads", "n = %d must be >= 1", n);
    return sl::ok();
}

int sl_get_threads(int* n) {
    SL_REQUIRE(n != nullptr, "sl_get_threads", "n is null");
    *n = 1;
    return sl::ok();
}

int sl_device_count(int* count) {
    SL_REQUIRE(count != nullptr, "sl_device_count", "count is null");
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
        *count = 0;
        // cudart says "driver version is insufficient" when there is no driver at all: say which.
        void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
        if (driver == nullptr) {
            sl::fail(SL_EDEVICE, "sl_device_count", "no NVIDIA driver (libcuda.so.1 not found)");
        } else {
            dlclose(driver);
            sl::fail(SL_EDEVICE, "sl_device_count", "%s", cudaGetErrorString(err));
        }
        cudaGetLastError();  // clear the sticky-free error so later calls start clean
        return SL_OK;
    }
    *count = n;
    return sl::ok();
}

int sl_device_describe(int device, char* out, int64_t outBytes) {
    const char* verb = "sl_device_describe";
    SL_REQUIRE(out != nullptr && outBytes > 0, verb, "out is null or outBytes = %lld", (long long)outBytes);
    cudaDeviceProp prop;
    SL_CUDA_CHECK(verb, cudaGetDeviceProperties(&prop, device));
    int driver = 0;
    SL_CUDA_CHECK(verb, cudaDriverGetVersion(&driver));
    snprintf(out, (size_t)outBytes, "name=%s;cc=%d.%d;memory=%llu;driver=%d.%d", prop.name, prop.major, prop.minor,
             (unsigned long long)prop.totalGlobalMem, driver / 1000, (driver % 1000) / 10);
    return sl::ok();
}

int sl_set_device(int device, void* stream) {
    SL_CUDA_CHECK("sl_set_device", cudaSetDevice(device));
    g_stream = (cudaStream_t)stream;
    return sl::ok();
}

int sl_alloc(int64_t bytes, void** out) {
    SL_REQUIRE(out != nullptr, "sl_alloc", "out is null");
    SL_REQUIRE(bytes >= 0, "sl_alloc", "bytes = %lld is negative", (long long)bytes);
    void* p = nullptr;
    cudaError_t err = cudaMalloc(&p, bytes == 0 ? 256 : (size_t)bytes);
    if (err != cudaSuccess)
        return sl::fail(SL_ENOMEM, "sl_alloc", "cudaMalloc(%lld) failed: %s", (long long)bytes, cudaGetErrorString(err));
    *out = p;
    return sl::ok();
}

int sl_free(void* ptr) {
    if (ptr != nullptr) SL_CUDA_CHECK("sl_free", cudaFree(ptr));
    return sl::ok();
}

static int copy_bytes(const char* verb, void* dst, const void* src, int64_t bytes, cudaMemcpyKind kind) {
    SL_REQUIRE(bytes >= 0, verb, "bytes = %lld is negative", (long long)bytes);
    SL_REQUIRE(bytes == 0 || (dst != nullptr && src != nullptr), verb, "null pointer with bytes = %lld", (long long)bytes);
    if (bytes == 0) return sl::ok();
    SL_CUDA_CHECK(verb, cudaMemcpyAsync(dst, src, (size_t)bytes, kind, g_stream));
    // The host side may be pageable Java memory that is reused as soon as we return.
    if (kind != cudaMemcpyDeviceToDevice) SL_CUDA_CHECK(verb, cudaStreamSynchronize(g_stream));
    return sl::ok();
}

int sl_copy_to_device(void* dst, const void* hostSrc, int64_t bytes) {
    return copy_bytes("sl_copy_to_device", dst, hostSrc, bytes, cudaMemcpyHostToDevice);
}
int sl_copy_to_host(void* hostDst, const void* src, int64_t bytes) {
    return copy_bytes("sl_copy_to_host", hostDst, src, bytes, cudaMemcpyDeviceToHost);
}
int sl_copy_device(void* dst, const void* src, int64_t bytes) {
    return copy_bytes("sl_copy_device", dst, src, bytes, cudaMemcpyDeviceToDevice);
}

int sl_zero(void* dst, int64_t bytes) {
    SL_REQUIRE(bytes >= 0, "sl_zero", "bytes = %lld is negative", (long long)bytes);
    SL_REQUIRE(bytes == 0 || dst != nullptr, "sl_zero", "dst is null with bytes = %lld", (long long)bytes);
    if (bytes > 0) SL_CUDA_CHECK("sl_zero", cudaMemsetAsync(dst, 0, (size_t)bytes, g_stream));
    return sl::ok();
}

int sl_synchronize(void) {
    SL_CUDA_CHECK("sl_synchronize", cudaStreamSynchronize(g_stream));
    return sl::ok();
}

int sl_gather(const float* userTable, int64_t nUsers, int32_t du, const float* itemTable, int64_t nItems, int32_t di,
              const int32_t* userRows, const int32_t* itemRows, int64_t batch, float* out) {
    return guarded("sl_gather", [&] {
        return sl_thrust::gather<CudaBackend>(userTable, nUsers, du, itemTable, nItems, di, userRows, itemRows, batch, out);
    });
}

int sl_sgd_update(float* table, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch, const float* grads,
                  int64_t gradStride, float lr, float l2) {
    return guarded("sl_sgd_update", [&] {
        return sl_thrust::sgd_update<CudaBackend>(table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    });
}

int sl_adagrad_update(float* table, float* accum, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch,
                      const float* grads, int64_t gradStride, float lr, float l2, float eps) {
    return guarded("sl_adagrad_update", [&] {
        return sl_thrust::adagrad_update<CudaBackend>(table, accum, nRows, dim, rows, batch, grads, gradStride, lr, l2, eps);
    });
}

int sl_adam_update(float* table, float* m, float* v, int32_t* rowSteps, int64_t nRows, int32_t dim, const int32_t* rows,
                   int64_t batch, const float* grads, int64_t gradStride, float lr, float l2, float beta1, float beta2,
                   float eps, int32_t stepMode, int64_t globalStep) {
    return guarded("sl_adam_update", [&] {
        return sl_thrust::adam_update<CudaBackend>(table, m, v, rowSteps, nRows, dim, rows, batch, grads, gradStride, lr,
                                                   l2, beta1, beta2, eps, stepMode, globalStep);
    });
}

}  // extern "C"
