/*
 * sparse_thrust.h: the CUDA tier's kernel logic, written once with Thrust.
 *
 * Included by cuda/kernels_cuda.cu (Thrust's CUDA backend) and by
 * thrust/kernels_thrust_omp.cpp (g++, Thrust's OpenMP backend), so the exact
 * sort -> segment -> per-row-update logic that runs on the GPU is built and
 * tested on machines with no GPU.
 *
 * Each includer supplies a Backend type:
 *   Backend::policy()                    Thrust execution policy (with its temp allocator and stream)
 *   Backend::scratch_ints(n)             int32 memory for n values, reused across calls
 *   Backend::load(const int32_t* p)      reads one int32 from kernel memory on the host
 *
 * Sparse update = three passes, no host sync between them:
 *   1. stable sort of (row, batch position) by row: duplicates keep batch order;
 *   2. (Adam) one thread per segment head increments that row's step count;
 *   3. one thread per (segment head, column): sums the column over the segment
 *      in batch order and steps that element. Non-head threads return at once.
 * Ids are checked first with one find_if (a host sync on the GPU): an id out of
 * range is an error that names it, never a write outside the table.
 */
#ifndef SCATTERLENS_SPARSE_THRUST_H
#define SCATTERLENS_SPARSE_THRUST_H

#include "../scatterlens.h"
#include "../common.h"
#include "../optimizers.h"

#include <thrust/copy.h>
#include <thrust/find.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/sequence.h>
#include <thrust/sort.h>

namespace sl_thrust {

struct OutOfRange {
    int64_t nRows;
    SL_HD bool operator()(int32_t id) const { return id < 0 || id >= nRows; }
};

/* out (batch, du + di): one thread per output element. */
struct GatherElem {
    const float* userTable;
    const float* itemTable;
    const int32_t* userRows;
    const int32_t* itemRows;
    float* out;
    int32_t du, di;
    SL_HD void operator()(int64_t i) const {
        const int64_t width = (int64_t)du + di;
        const int64_t b = i / width;
        const int32_t c = (int32_t)(i - b * width);
        out[i] = c < du ? userTable[(int64_t)userRows[b] * du + c] : itemTable[(int64_t)itemRows[b] * di + (c - du)];
    }
};

SL_HD bool is_segment_head(const int32_t* keys, int64_t j) { return j == 0 || keys[j] != keys[j - 1]; }

struct IncrementSteps {
    const int32_t* keys;  // (batch) sorted row ids
    int32_t* rowSteps;    // (nRows)
    SL_HD void operator()(int64_t j) const {
        if (is_segment_head(keys, j)) rowSteps[keys[j]] += 1;
    }
};

/* Pass 3 for any optimizer: Op steps element (row, d) given the column's segment sum. */
template <class Op>
struct SegmentElem {
    const int32_t* keys;  // (batch) sorted row ids
    const int32_t* pos;   // (batch) batch position of each sorted id
    const float* grads;   // (batch, gradStride)
    int64_t batch, gradStride;
    int32_t dim;
    Op op;
    SL_HD void operator()(int64_t i) const {
        const int64_t j = i / dim;
        const int32_t d = (int32_t)(i - j * dim);
        if (!is_segment_head(keys, j)) return;
        const int32_t row = keys[j];
        float acc = 0.0f;
        for (int64_t k = j; k < batch && keys[k] == row; k++) acc += grads[(int64_t)pos[k] * gradStride + d];
        op(row, d, acc);
    }
};

struct SgdOp {
    float* table;
    int32_t dim;
    float lr, l2;
    SL_HD void operator()(int32_t row, int32_t d, float g) const { sl_sgd_elem(&table[(int64_t)row * dim + d], g, lr, l2); }
};

struct AdagradOp {
    float* table;
    float* accum;
    int32_t dim;
    float lr, l2, eps;
    SL_HD void operator()(int32_t row, int32_t d, float g) const {
        const int64_t at = (int64_t)row * dim + d;
        sl_adagrad_elem(&table[at], &accum[at], g, lr, l2, eps);
    }
};

struct AdamOp {
    float* table;
    float* m;
    float* v;
    const int32_t* rowSteps;  // already incremented by IncrementSteps
    int32_t dim;
    float lr, l2, beta1, beta2, eps;
    int32_t stepMode;
    int64_t globalStep;
    SL_HD void operator()(int32_t row, int32_t d, float g) const {
        const int64_t t = stepMode == SL_ADAM_STEP_GLOBAL ? globalStep : (int64_t)rowSteps[row];
        const float stepSize = lr * sl_adam_correction(beta1, beta2, t);
        const int64_t at = (int64_t)row * dim + d;
        sl_adam_elem(&table[at], &m[at], &v[at], g, stepSize, l2, beta1, beta2, eps);
    }
};

template <class Backend>
int check_ids(const char* verb, const char* what, const int32_t* ids, int64_t n, int64_t nRows) {
    if (n == 0) return SL_OK;
    const int32_t* bad = thrust::find_if(Backend::policy(), ids, ids + n, OutOfRange{nRows});
    if (bad == ids + n) return SL_OK;
    return sl::fail(SL_EINVAL, verb, "%s[%lld] = %d is outside [0, %lld)", what, (long long)(bad - ids),
                    (int)Backend::load(bad), (long long)nRows);
}

template <class Backend>
int gather(const float* userTable, int64_t nUsers, int32_t du, const float* itemTable, int64_t nItems, int32_t di,
           const int32_t* userRows, const int32_t* itemRows, int64_t batch, float* out) {
    const char* verb = "sl_gather";
    int rc = sl::check_gather(verb, userTable, nUsers, du, itemTable, nItems, di, userRows, itemRows, batch, out);
    if (rc != SL_OK) return rc;
    if ((rc = check_ids<Backend>(verb, "userRows", userRows, batch, nUsers)) != SL_OK) return rc;
    if ((rc = check_ids<Backend>(verb, "itemRows", itemRows, batch, nItems)) != SL_OK) return rc;
    if (batch == 0) return sl::ok();
    thrust::for_each_n(Backend::policy(), thrust::counting_iterator<int64_t>(0), batch * ((int64_t)du + di),
                       GatherElem{userTable, itemTable, userRows, itemRows, out, du, di});
    return sl::ok();
}

/* Passes 1 and 3 (and 2 through before_update) for optimizer Op. */
template <class Backend, class Op, class BeforeUpdate>
int sparse_update(const char* verb, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch, const float* grads,
                  int64_t gradStride, Op op, BeforeUpdate before_update) {
    int rc = check_ids<Backend>(verb, "rows", rows, batch, nRows);
    if (rc != SL_OK) return rc;
    if (batch == 0) return sl::ok();
    int32_t* keys = Backend::scratch_ints(2 * batch);
    if (keys == nullptr) return sl::fail(SL_ENOMEM, verb, "no memory for the sort of %lld ids", (long long)batch);
    int32_t* pos = keys + batch;
    thrust::copy_n(Backend::policy(), rows, batch, keys);
    thrust::sequence(Backend::policy(), pos, pos + batch);
    thrust::stable_sort_by_key(Backend::policy(), keys, keys + batch, pos);
    before_update(keys);
    thrust::for_each_n(Backend::policy(), thrust::counting_iterator<int64_t>(0), batch * (int64_t)dim,
                       SegmentElem<Op>{keys, pos, grads, batch, gradStride, dim, op});
    return sl::ok();
}

struct NoPass {
    void operator()(const int32_t*) const {}
};

template <class Backend>
int sgd_update(float* table, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch, const float* grads,
               int64_t gradStride, float lr, float l2) {
    const char* verb = "sl_sgd_update";
    int rc = sl::check_update(verb, table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    if (rc != SL_OK) return rc;
    return sparse_update<Backend>(verb, nRows, dim, rows, batch, grads, gradStride, SgdOp{table, dim, lr, l2}, NoPass{});
}

template <class Backend>
int adagrad_update(float* table, float* accum, int64_t nRows, int32_t dim, const int32_t* rows, int64_t batch,
                   const float* grads, int64_t gradStride, float lr, float l2, float eps) {
    const char* verb = "sl_adagrad_update";
    int rc = sl::check_update(verb, table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    if (rc != SL_OK) return rc;
    SL_REQUIRE(nRows == 0 || accum != nullptr, verb, "accum is null");
    SL_REQUIRE(eps > 0.0f, verb, "eps = %g must be > 0", (double)eps);
    return sparse_update<Backend>(verb, nRows, dim, rows, batch, grads, gradStride,
                                  AdagradOp{table, accum, dim, lr, l2, eps}, NoPass{});
}

template <class Backend>
int adam_update(float* table, float* m, float* v, int32_t* rowSteps, int64_t nRows, int32_t dim, const int32_t* rows,
                int64_t batch, const float* grads, int64_t gradStride, float lr, float l2, float beta1, float beta2,
                float eps, int32_t stepMode, int64_t globalStep) {
    const char* verb = "sl_adam_update";
    int rc = sl::check_update(verb, table, nRows, dim, rows, batch, grads, gradStride, lr, l2);
    if (rc != SL_OK) return rc;
    rc = sl::check_adam(verb, m, v, rowSteps, nRows, beta1, beta2, eps, stepMode, globalStep);
    if (rc != SL_OK) return rc;
    auto incrementSteps = [=](const int32_t* keys) {
        thrust::for_each_n(Backend::policy(), thrust::counting_iterator<int64_t>(0), batch, IncrementSteps{keys, rowSteps});
    };
    return sparse_update<Backend>(verb, nRows, dim, rows, batch, grads, gradStride,
                                  AdamOp{table, m, v, rowSteps, dim, lr, l2, beta1, beta2, eps, stepMode, globalStep},
                                  incrementSteps);
}

}  // namespace sl_thrust

#endif /* SCATTERLENS_SPARSE_THRUST_H */
