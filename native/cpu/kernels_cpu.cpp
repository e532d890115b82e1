/*
 * kernels_cpu.cpp: the CPU build of scatterlens.h (C++17, OpenMP, -O3 with
 * the build machine's vector ISA).
 *
 * Sparse updates: LSD radix sort of (row, batch position) pairs, stable, so a
 * row's duplicates stay in batch order -> segments of equal rows -> each segment
 * summed in batch order and stepped once. Segments are independent, so OpenMP
 * splits them across threads without changing a single bit of the result.
 */
#include "scatterlens.h"
#include "common.h"
#define SL_HOST_DEVICE_NAME "host CPU"
#include "host_verbs.h"
#include "optimizers.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#ifndef SL_BUILD_FLAGS
#define SL_BUILD_FLAGS "unknown"
#endif

namespace {

int threads() { return sl::host_threads(); }

/* Below this much work (elements touched) a parallel region costs more than it saves. */
constexpr int64_t kParallelElements = 1 << 15;

const char* vector_isa() {
#if defined(__AVX512F__)
    return "avx512";
#elif defined(__AVX2__)
    return "avx2";
#elif defined(__AVX__)
    return "avx";
#elif defined(__SSE4_2__)
    return "sse4.2";
#elif defined(__aarch64__)
    return "neon";
#else
    return "sse2";
#endif
}

/*
 * sl_adam_correction memoized for t <= kCachedSteps: two expm1 per touched row
 * would cost more than the rest of the update. One table per (beta1, beta2)
 * pair ever used, kept for the life of the process so a pointer handed out
 * stays valid while other threads add tables; larger t are computed directly.
 */
class AdamCorrections {
  public:
    static constexpr int64_t kCachedSteps = 1 << 16;

    const float* table(float beta1, float beta2) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::unique_ptr<std::vector<float>>& slot = tables_[{beta1, beta2}];
        if (!slot) {
            slot = std::make_unique<std::vector<float>>(kCachedSteps + 1);
            (*slot)[0] = 0.0f;  // t = 0 never occurs: every touched row has t >= 1
            for (int64_t t = 1; t <= kCachedSteps; t++) (*slot)[t] = sl_adam_correction(beta1, beta2, t);
        }
        return slot->data();
    }

  private:
    std::mutex mutex_;
    std::map<std::pair<float, float>, std::unique_ptr<std::vector<float>>> tables_;
};

AdamCorrections& adam_corrections() {
    static AdamCorrections c;
    return c;
}

float adam_correction(const float* table, float beta1, float beta2, int64_t t) {
    return t <= AdamCorrections::kCachedSteps ? table[t] : sl_adam_correction(beta1, beta2, t);
}

/* Per-thread scratch of the sort, kept between calls: no allocation per batch once warm. */
struct SortScratch {
    std::vector<int32_t> keys, keysTmp, pos, posTmp, segStart;
};

SortScratch& scratch() {
    static thread_local SortScratch s;
    return s;
}

/*
 * Stable LSD radix sort of rows[0..n) with their batch positions; fills
 * s.keys/s.pos sorted by row and s.segStart with each segment's first index
 * plus a final n. Returns the number of segments.
 */
int64_t sort_and_segment(const int32_t* rows, int64_t n, int64_t nRows, SortScratch& s) {
    s.keys.resize(n);
    s.keysTmp.resize(n);
    s.pos.resize(n);
    s.posTmp.resize(n);
    s.segStart.resize(n + 1);
    std::memcpy(s.keys.data(), rows, sizeof(int32_t) * n);
    for (int64_t i = 0; i < n; i++) s.pos[i] = (int32_t)i;

    constexpr int kBits = 11;
    constexpr int kBuckets = 1 << kBits;
    int keyBits = 1;
    while (keyBits < 31 && (int64_t(1) << keyBits) < nRows) keyBits++;
    int32_t* k = s.keys.data();
    int32_t* kt = s.keysTmp.data();
    int32_t* p = s.pos.data();
    int32_t* pt = s.posTmp.data();
    int64_t count[kBuckets];
    for (int shift = 0; shift < keyBits; shift += kBits) {
        std::memset(count, 0, sizeof count);
        for (int64_t i = 0; i < n; i++) count[(k[i] >> shift) & (kBuckets - 1)]++;
        int64_t sum = 0;
        for (int b = 0; b < kBuckets; b++) { int64_t c = count[b]; count[b] = sum; sum += c; }
        for (int64_t i = 0; i < n; i++) {
            int64_t dst = count[(k[i] >> shift) & (kBuckets - 1)]++;
            kt[dst] = k[i];
            pt[dst] = p[i];
        }
        std::swap(k, kt);
        std::swap(p, pt);
    }
    if (k != s.keys.data()) {  // odd number of passes: results sit in the tmp arrays
        std::memcpy(s.keys.data(), k, sizeof(int32_t) * n);
        std::memcpy(s.pos.data(), p, sizeof(int32_t) * n);
    }

    int64_t nSeg = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i == 0 || s.keys[i] != s.keys[i - 1]) s.segStart[nSeg++] = (int32_t)i;
    }
    s.segStart[nSeg] = (int32_t)n;
    return nSeg;
}

/* Segments ahead whose rows are prefetched: tables far larger than the caches make every
 * touched row a cache miss, and the sorted order lets us ask for them early. */
constexpr int64_t kPrefetchDistance = 8;

inline void prefetch_row(const void* base, int64_t row, int64_t rowBytes) {
    const char* p = static_cast<const char*>(base) + row * rowBytes;
    for (int64_t off = 0; off < rowBytes; off += 64) __builtin_prefetch(p + off, 1, 1);
}

/*
 * The shared skeleton of every sparse update: validate ids, sort, segment,
 * then for each segment sum the gradient rows into acc (batch order) and call
 * step(row, acc). acc is per thread, dim floats. prefetch(row) asks for the
 * memory step(row) will touch, a few segments ahead.
 */
template <class Step, class Prefetch>
int for_each_touched_row(const char* verb, const int32_t* rows, int64_t batch, int64_t nRows, int32_t dim,
                         const float* grads, int64_t gradStride, Step step, Prefetch prefetch) {
    int rc = sl::check_ids_host(verb, "rows", rows, batch, nRows);
    if (rc != SL_OK) return rc;
    if (batch == 0) return sl::ok();
    SortScratch& s = scratch();
    const int64_t nSeg = sort_and_segment(rows, batch, nRows, s);
    const int32_t* keys = s.keys.data();
    const int32_t* pos = s.pos.data();
    const int32_t* segStart = s.segStart.data();
    const bool parallel = nSeg * (int64_t)dim >= kParallelElements && threads() > 1;
#pragma omp parallel num_threads(threads()) if (parallel)
    {
        std::vector<float> acc(dim);
#pragma omp for schedule(static)
        for (int64_t seg = 0; seg < nSeg; seg++) {
            if (seg + kPrefetchDistance < nSeg) prefetch((int64_t)keys[segStart[seg + kPrefetchDistance]]);
            std::fill(acc.begin(), acc.end(), 0.0f);
            for (int32_t j = segStart[seg]; j < segStart[seg + 1]; j++) {
                const float* g = grads + (int64_t)pos[j] * gradStride;
                for (int32_t d = 0; d < dim; d++) acc[d] += g[d];
            }
            step((int64_t)keys[segStart[seg]], acc.data());
        }
    }
    return sl::ok();
}

}  // namespace

extern "C" {

const char* sl_build_info(void) {
    static std::string info = std::string("tier=cpu; compiler=g++ ") + __VERSION__ + "; flags=" + SL_BUILD_FLAGS +
                              "; isa=" + vector_isa() + "; openmp=" + std::to_string(_OPENMP);
    return info.c_str();
}

int sl_gather(const float* userTable, int64_t nUsers, int32_t du,
              const float* itemTable, int64_t nItems, int32_t di,
              const int32_t* userRows, const int32_t* itemRows, int64_t batch,
              float* out) {
    const char* verb = "sl_gather";
    int rc = sl::check_gather(verb, userTable, nUsers, du, itemTable, nItems, di, userRows, itemRows, batch, out);
    if (rc != SL_OK) return rc;
    if ((rc = sl::check_ids_host(verb, "userRows", userRows, batch, nUsers)) != SL_OK) return rc;
    if ((rc = sl::check_ids_host(verb, "itemRows", itemRows, batch, nItems)) != SL_OK) return rc;
    const int64_t width = (int64_t)du + di;
    const bool parallel = batch * width >= kParallelElements * 4 && threads() > 1;
#pragma omp parallel for num_threads(threads()) schedule(static) if (parallel)
    for (int64_t b = 0; b < batch; b++) {
        // Plain loops, not memcpy: rows are a few floats, and a libc call per row cost more than the copy.
        float* __restrict o = out + b * width;
        const float* __restrict u = userTable + (int64_t)userRows[b] * du;
        const float* __restrict i = itemTable + (int64_t)itemRows[b] * di;
        for (int32_t d = 0; d < du; d++) o[d] = u[d];
        for (int32_t d = 0; d < di; d++) o[du + d] = i[d];
    }
    return sl::ok();
}

int sl_sgd_update(float* table, int64_t nRows, int32_t dim,
                  const int32_t* rows, int64_t batch,
                  const float* grads, int64_t gradStride,
                  float lr, float l2) {
    const char* verb = "sl_sgd_update";
    int rc = sl::check_update(verb, table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    if (rc != SL_OK) return rc;
    return for_each_touched_row(verb, rows, batch, nRows, dim, grads, gradStride,
                                [=](int64_t row, const float* g) {
                                    float* __restrict w = table + row * dim;
                                    for (int32_t d = 0; d < dim; d++) sl_sgd_elem(&w[d], g[d], lr, l2);
                                },
                                [=](int64_t row) { prefetch_row(table, row, 4 * (int64_t)dim); });
}

int sl_adagrad_update(float* table, float* accum, int64_t nRows, int32_t dim,
                      const int32_t* rows, int64_t batch,
                      const float* grads, int64_t gradStride,
                      float lr, float l2, float eps) {
    const char* verb = "sl_adagrad_update";
    int rc = sl::check_update(verb, table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    if (rc != SL_OK) return rc;
    SL_REQUIRE(nRows == 0 || accum != nullptr, verb, "accum is null");
    SL_REQUIRE(eps > 0.0f, verb, "eps = %g must be > 0", (double)eps);
    return for_each_touched_row(verb, rows, batch, nRows, dim, grads, gradStride,
                                [=](int64_t row, const float* g) {
                                    float* __restrict w = table + row * dim;
                                    float* __restrict a = accum + row * dim;
                                    for (int32_t d = 0; d < dim; d++) sl_adagrad_elem(&w[d], &a[d], g[d], lr, l2, eps);
                                },
                                [=](int64_t row) {
                                    prefetch_row(table, row, 4 * (int64_t)dim);
                                    prefetch_row(accum, row, 4 * (int64_t)dim);
                                });
}

int sl_adam_update(float* table, float* m, float* v, int32_t* rowSteps,
                   int64_t nRows, int32_t dim,
                   const int32_t* rows, int64_t batch,
                   const float* grads, int64_t gradStride,
                   float lr, float l2, float beta1, float beta2, float eps,
                   int32_t stepMode, int64_t globalStep) {
    const char* verb = "sl_adam_update";
    int rc = sl::check_update(verb, table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    if (rc != SL_OK) return rc;
    rc = sl::check_adam(verb, m, v, rowSteps, nRows, beta1, beta2, eps, stepMode, globalStep);
    if (rc != SL_OK) return rc;
    const float* corrections = adam_corrections().table(beta1, beta2);
    const float globalStepSize = lr * adam_correction(corrections, beta1, beta2, globalStep);
    return for_each_touched_row(verb, rows, batch, nRows, dim, grads, gradStride,
                                [=](int64_t row, const float* g) {
                                    int32_t t = ++rowSteps[row];
                                    float stepSize = stepMode == SL_ADAM_STEP_GLOBAL
                                                         ? globalStepSize
                                                         : lr * adam_correction(corrections, beta1, beta2, t);
                                    // restrict: the rows never overlap, and saying so lets the element loop vectorize.
                                    float* __restrict w = table + row * dim;
                                    float* __restrict mr = m + row * dim;
                                    float* __restrict vr = v + row * dim;
                                    for (int32_t d = 0; d < dim; d++)
                                        sl_adam_elem(&w[d], &mr[d], &vr[d], g[d], stepSize, l2, beta1, beta2, eps);
                                },
                                [=](int64_t row) {
                                    prefetch_row(table, row, 4 * (int64_t)dim);
                                    prefetch_row(m, row, 4 * (int64_t)dim);
                                    prefetch_row(v, row, 4 * (int64_t)dim);
                                    __builtin_prefetch(rowSteps + row, 1, 1);
                                });
}

}  // extern "C"
