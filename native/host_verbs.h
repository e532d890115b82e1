/*
 * host_verbs.h: the library, thread and memory verbs of the two builds whose
 * "device" is the host (cpu/kernels_cpu.cpp and thrust/kernels_thrust_omp.cpp).
 * Included by exactly one translation unit of each library; SL_HOST_DEVICE_NAME
 * names the device in sl_device_describe.
 */
#ifndef SCATTERLENS_HOST_VERBS_H
#define SCATTERLENS_HOST_VERBS_H

#include "scatterlens.h"
#include "common.h"

#include <omp.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifndef SL_HOST_DEVICE_NAME
#error "define SL_HOST_DEVICE_NAME before including host_verbs.h"
#endif

namespace sl {

inline std::atomic<int>& thread_setting() {
    static std::atomic<int> n{0};  // 0: OpenMP's default (all cores)
    return n;
}

inline int host_threads() {
    int n = thread_setting().load(std::memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
}

inline int copy_bytes(const char* verb, void* dst, const void* src, int64_t bytes) {
    SL_REQUIRE(bytes >= 0, verb, "bytes = %lld is negative", (long long)bytes);
    SL_REQUIRE(bytes == 0 || (dst != nullptr && src != nullptr), verb, "null pointer with bytes = %lld", (long long)bytes);
    if (bytes > 0) std::memmove(dst, src, (size_t)bytes);
    return ok();
}

}  // namespace sl

extern "C" {

const char* sl_last_error(void) { return sl::error_slot().c_str(); }

int sl_set_threads(int n) {
    SL_REQUIRE(n >= 1, "sl_set_threads", "n = %d must be >= 1", n);
    sl::thread_setting().store(n);
    return sl::ok();
}

int sl_get_threads(int* n) {
    SL_REQUIRE(n != nullptr, "sl_get_threads", "n is null");
    *n = sl::host_threads();
    return sl::ok();
}

int sl_device_count(int* count) {
    SL_REQUIRE(count != nullptr, "sl_device_count", "count is null");
    *count = 1;
    return sl::ok();
}

int sl_device_describe(int device, char* out, int64_t outBytes) {
    SL_REQUIRE(device == 0, "sl_device_describe", "device = %d: this build has only device 0 (the host)", device);
    SL_REQUIRE(out != nullptr && outBytes > 0, "sl_device_describe", "out is null or outBytes = %lld", (long long)outBytes);
    snprintf(out, (size_t)outBytes, "name=%s;threads=%d", SL_HOST_DEVICE_NAME, sl::host_threads());
    return sl::ok();
}

int sl_set_device(int device, void* /*stream: host work runs on the calling thread*/) {
    SL_REQUIRE(device == 0, "sl_set_device", "device = %d: this build has only device 0 (the host)", device);
    return sl::ok();
}

int sl_alloc(int64_t bytes, void** out) {
    SL_REQUIRE(out != nullptr, "sl_alloc", "out is null");
    SL_REQUIRE(bytes >= 0, "sl_alloc", "bytes = %lld is negative", (long long)bytes);
    // 64-byte alignment: one cache line, one AVX-512 vector.
    size_t rounded = ((size_t)bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (p == nullptr) return sl::fail(SL_ENOMEM, "sl_alloc", "could not allocate %lld bytes", (long long)bytes);
    *out = p;
    return sl::ok();
}

int sl_free(void* ptr) {
    std::free(ptr);
    return sl::ok();
}

int sl_copy_to_device(void* dst, const void* hostSrc, int64_t bytes) { return sl::copy_bytes("sl_copy_to_device", dst, hostSrc, bytes); }
int sl_copy_to_host(void* hostDst, const void* src, int64_t bytes) { return sl::copy_bytes("sl_copy_to_host", hostDst, src, bytes); }
int sl_copy_device(void* dst, const void* src, int64_t bytes) { return sl::copy_bytes("sl_copy_device", dst, src, bytes); }

int sl_zero(void* dst, int64_t bytes) {
    SL_REQUIRE(bytes >= 0, "sl_zero", "bytes = %lld is negative", (long long)bytes);
    SL_REQUIRE(bytes == 0 || dst != nullptr, "sl_zero", "dst is null with bytes = %lld", (long long)bytes);
    if (bytes > 0) std::memset(dst, 0, (size_t)bytes);
    return sl::ok();
}

int sl_synchronize(void) { return sl::ok(); }

}  // extern "C"

#endif /* SCATTERLENS_HOST_VERBS_H */
