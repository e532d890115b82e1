/*
 * tower_cpu.cpp: tower.h on the CPU. The dense half of a step in one call,
 * where ND4J needs some 25 ops of 10-200 us each for the tutorial's tiny
 * layers (docs/benchmarks.md).
 *
 * The batch runs in blocks of kBlock rows: forward through every layer, loss,
 * and backward, while the block's activations (a few KB) stay in L1. Parameter
 * gradients accumulate per thread across its blocks and are summed in thread
 * order, then one optimizer step. Inner loops run over a layer's columns for a
 * block of rows at a time, so independent rows fill the FMA pipeline instead of
 * one row's dependency chain. Plain Java reference: kernels/JavaTower.
 */
#include "tower.h"
#include "common.h"

#include <omp.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace {


constexpr int64_t kParallelRows = 2048;  // below this, one thread: a parallel region costs ~10 us

int tower_threads() {
    int n = 1;
    sl_get_threads(&n);
    return n < 1 ? 1 : n;
}

struct Net {
    int L;                 // layers; 0 = dot product
    const int32_t* w;      // widths[0..L]
    int act;
    int64_t wOff[65];      // offset of W[l] in params, l = 1..L
    int64_t bOff[65];
    int64_t size;          // P
    int maxWidth;
};

inline float activate(int act, float z) {
    switch (act) {
        case SL_ACT_RELU: return z > 0.0f ? z : 0.0f;
        // Through double, as the Java reference (Math.tanh / Math.exp) does.
        case SL_ACT_TANH: return (float)std::tanh((double)z);
        case SL_ACT_SIGMOID: return (float)(1.0 / (1.0 + std::exp(-(double)z)));
        default: return z;
    }
}

/* d act / dz from the activation's output a. */
inline float derivative(int act, float a) {
    switch (act) {
        case SL_ACT_RELU: return a > 0.0f ? 1.0f : 0.0f;
        case SL_ACT_TANH: return 1.0f - a * a;
        case SL_ACT_SIGMOID: return a * (1.0f - a);
        default: return 1.0f;
    }
}

int describe(const char* verb, int32_t nLayers, const int32_t* widths, int32_t activation, Net* net) {
    SL_REQUIRE(nLayers >= 0 && nLayers <= 64, verb, "nLayers = %d must be in [0, 64]", (int)nLayers);
    SL_REQUIRE(widths != nullptr, verb, "widths is null");
    SL_REQUIRE(activation >= SL_ACT_LINEAR && activation <= SL_ACT_SIGMOID, verb,
               "activation = %d is not one of SL_ACT_LINEAR (0), RELU (1), TANH (2), SIGMOID (3)", (int)activation);
    net->L = nLayers;
    net->w = widths;
    net->act = activation;
    net->maxWidth = 0;
    int64_t at = 0;
    for (int l = 0; l <= nLayers; l++) {
        SL_REQUIRE(widths[l] >= 1 && widths[l] <= 4096, verb, "widths[%d] = %d must be in [1, 4096]", l, (int)widths[l]);
        if (widths[l] > net->maxWidth) net->maxWidth = widths[l];
        if (l >= 1) {
            net->wOff[l] = at;
            at += (int64_t)widths[l - 1] * widths[l];
            net->bOff[l] = at;
            at += widths[l];
        }
    }
    if (nLayers == 0) {
        SL_REQUIRE(widths[0] % 2 == 0, verb, "widths[0] = %d: a dot-product model needs an even input width", (int)widths[0]);
    } else {
        SL_REQUIRE(widths[nLayers] == 1, verb, "widths[%d] = %d: the last layer must have 1 output", (int)nLayers,
                   (int)widths[nLayers]);
    }
    net->size = at;
    return SL_OK;
}

/*
 * A block is kLanes rows held feature-major: one vector per feature, lane r = row r
 * of the block. Every multiply-add then works on kLanes rows at once whatever the
 * layer widths, and several output columns accumulate in registers side by side,
 * so no chain of dependent adds goes through memory. Lanes past the batch's end
 * carry zeros and a zero output gradient, so they add nothing to any gradient.
 */
/*
 * As many rows per block as one hardware vector has floats: a 64-byte vector
 * lowered to AVX2 by GCC measured 4-6x slower than 32-byte ones on the same
 * core, so the lane count follows the build's ISA (AVX-512: 16, AVX/AVX2: 8,
 * SSE, NEON and the rest: 4). The name v16 stays for the AVX-512 case.
 */
#if defined(__AVX512F__)
constexpr int kLanes = 16;
#elif defined(__AVX__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif
typedef float v16 __attribute__((vector_size(4 * kLanes)));

/* Sum of the lanes, always in lane order (deterministic). */
inline float hsum(v16 v) {
    float s = 0.0f;
    for (int i = 0; i < kLanes; i++) s += v[i];
    return s;
}

inline v16 vzero() {
    v16 z = {};
    return z;
}

/* z[j0 + jj] = sum_k a[k] * W[k][j0 + jj] for J columns, J accumulators in registers. */
template <int J>
inline void columns(const v16* __restrict a, int in, const float* __restrict W, int out, int j0, v16* __restrict z) {
    v16 acc[J];
    for (int jj = 0; jj < J; jj++) acc[jj] = vzero();
    for (int k = 0; k < in; k++) {
        const v16 ak = a[k];
        const float* __restrict wk = W + (int64_t)k * out + j0;
        for (int jj = 0; jj < J; jj++) acc[jj] += wk[jj] * ak;
    }
    for (int jj = 0; jj < J; jj++) z[j0 + jj] = acc[jj];
}

/* z (out) = a (in) W, W (in, out) row-major. */
void multiply(const v16* a, int in, const float* W, int out, v16* z) {
    int j = 0;
    for (; j + 8 <= out; j += 8) columns<8>(a, in, W, out, j, z);
    if (j + 4 <= out) { columns<4>(a, in, W, out, j, z); j += 4; }
    if (j + 2 <= out) { columns<2>(a, in, W, out, j, z); j += 2; }
    if (j < out) columns<1>(a, in, W, out, j, z);
}

/* gp[k0 + kk] = sum_j g[j] * W[k0 + kk][j] for K rows of W. */
template <int K>
inline void rows_t(const v16* __restrict g, int out, const float* __restrict W, int k0, v16* __restrict gp) {
    v16 acc[K];
    for (int kk = 0; kk < K; kk++) acc[kk] = vzero();
    for (int j = 0; j < out; j++) {
        const v16 gj = g[j];
        for (int kk = 0; kk < K; kk++) acc[kk] += W[(int64_t)(k0 + kk) * out + j] * gj;
    }
    for (int kk = 0; kk < K; kk++) gp[k0 + kk] = acc[kk];
}

/* gp (in) = g (out) W^T. */
void multiply_t(const v16* g, int out, const float* W, int in, v16* gp) {
    int k = 0;
    for (; k + 8 <= in; k += 8) rows_t<8>(g, out, W, k, gp);
    if (k + 4 <= in) { rows_t<4>(g, out, W, k, gp); k += 4; }
    if (k + 2 <= in) { rows_t<2>(g, out, W, k, gp); k += 2; }
    if (k < in) rows_t<1>(g, out, W, k, gp);
}

inline v16 activate_v(int act, v16 z) {
    if (act == SL_ACT_RELU) return z > 0.0f ? z : 0.0f;
    if (act == SL_ACT_LINEAR) return z;
    for (int i = 0; i < kLanes; i++) z[i] = activate(act, z[i]);
    return z;
}

/* g * act'(z) from the activation's output a. */
inline v16 backprop_v(int act, v16 g, v16 a) {
    if (act == SL_ACT_RELU) return a > 0.0f ? g : 0.0f;
    if (act == SL_ACT_LINEAR) return g;
    for (int i = 0; i < kLanes; i++) g[i] *= derivative(act, a[i]);
    return g;
}

/*
 * Blocks are processed in groups of kSlots: the parameter gradients of a group
 * are summed over its slots in registers before they touch the accumulators in
 * memory, a quarter of the loads and stores.
 */
constexpr int kSlots = 4;

/* Per-thread scratch, reused across calls. */
struct Scratch {
    int64_t stack = 0;            // vectors per slot: sum of w[l], l = 0..L
    std::vector<v16> acts;        // kSlots stacks: A[l] of each slot's block, l = 0..L
    std::vector<v16> grads;       // kSlots stacks: dL/dZ[l] of each slot's block (l >= 1), dL/dX at l = 0
    std::vector<v16> dparams;     // P lane-wise partial gradients
    std::vector<float> reduced;   // P
};

Scratch& scratch() {
    static thread_local Scratch s;
    return s;
}

void prepare(const Net& net, Scratch& s, bool training) {
    int64_t stack = 0;
    for (int l = 0; l <= net.L; l++) stack += net.w[l];
    s.stack = stack;
    if ((int64_t)s.acts.size() < kSlots * stack) s.acts.resize((size_t)(kSlots * stack));
    if (training && (int64_t)s.grads.size() < kSlots * stack) s.grads.resize((size_t)(kSlots * stack));
}

inline int64_t layer_offset(const Net& net, int l) {
    int64_t at = 0;
    for (int i = 0; i < l; i++) at += net.w[i];
    return at;
}

/* A[l] of slot v. */
inline v16* layer(const Net& net, Scratch& s, int l, int v = 0) {
    return s.acts.data() + v * s.stack + layer_offset(net, l);
}

/* dL/dZ[l] (l >= 1) or dL/dX (l = 0) of slot v. */
inline v16* grad(const Net& net, Scratch& s, int l, int v) {
    return s.grads.data() + v * s.stack + layer_offset(net, l);
}

/* Loads rows [r0, r0 + R) of x (n, w0) into layer 0, zero lanes past R. */
void load_block(const Net& net, const float* x, int R, v16* a0) {
    const int w0 = net.w[0];
    for (int k = 0; k < w0; k++) a0[k] = vzero();
    for (int r = 0; r < R; r++) {
        const float* xr = x + (int64_t)r * w0;
        for (int k = 0; k < w0; k++) a0[k][r] = xr[k];
    }
}

/* Forward of a loaded block: returns y per lane (biases from biasPair added for the first R lanes). */
v16 forward_block(const Net& net, const float* __restrict params, Scratch& s, int v, int R, const float* biasPair) {
    v16 y;
    const v16* a0 = layer(net, s, 0, v);
    if (net.L == 0) {
        const int d = net.w[0] / 2;
        y = vzero();
        for (int k = 0; k < d; k++) y += a0[k] * a0[d + k];
    } else {
        const v16* prev = a0;
        for (int l = 1; l <= net.L; l++) {
            const int in = net.w[l - 1], out = net.w[l];
            v16* z = layer(net, s, l, v);
            multiply(prev, in, params + net.wOff[l], out, z);
            const float* b = params + net.bOff[l];
            const int act = l < net.L ? net.act : SL_ACT_LINEAR;
            for (int j = 0; j < out; j++) z[j] = activate_v(act, z[j] + b[j]);
            prev = z;
        }
        y = prev[0];
    }
    if (biasPair != nullptr) {
        for (int r = 0; r < R; r++) y[r] += biasPair[2 * r] + biasPair[2 * r + 1];
    }
    return y;
}

/*
 * Backward of slot v's block from dy (lanes past R are 0): keeps dL/dZ[l] of every
 * layer for flush_gradients and writes dx rows [0, R) (R, w0). dL/dA[l-1] = dL/dZ[l] W[l]^T
 * uses the weights before this step's update.
 */
void backward_block(const Net& net, const float* __restrict params, Scratch& s, int v, int R, v16 dy,
                    float* __restrict dx) {
    const int w0 = net.w[0];
    v16* gIn = grad(net, s, 0, v);
    if (net.L == 0) {
        const int d = w0 / 2;
        const v16* a0 = layer(net, s, 0, v);
        for (int k = 0; k < d; k++) {
            gIn[k] = a0[d + k] * dy;
            gIn[d + k] = a0[k] * dy;
        }
    } else {
        grad(net, s, net.L, v)[0] = dy;
        for (int l = net.L; l >= 1; l--) {
            const int in = net.w[l - 1], out = net.w[l];
            v16* g = grad(net, s, l, v);
            if (l < net.L) {
                const v16* own = layer(net, s, l, v);
                for (int j = 0; j < out; j++) g[j] = backprop_v(net.act, g[j], own[j]);
            }
            multiply_t(g, out, params + net.wOff[l], in, grad(net, s, l - 1, v));
        }
    }
    for (int r = 0; r < R; r++) {
        float* dr = dx + (int64_t)r * w0;
        for (int k = 0; k < w0; k++) dr[k] = gIn[k][r];
    }
}

/* dW[l] += sum over slots [0, V) of A[l-1]^T dZ[l] (lane-wise), db[l] += sum of dZ[l]. */
template <int V>
void flush_gradients(const Net& net, Scratch& s, v16* __restrict dparams) {
    for (int l = 1; l <= net.L; l++) {
        const int in = net.w[l - 1], out = net.w[l];
        const v16* a[V];
        const v16* g[V];
        for (int v = 0; v < V; v++) {
            a[v] = layer(net, s, l - 1, v);
            g[v] = grad(net, s, l, v);
        }
        v16* __restrict dW = dparams + net.wOff[l];
        v16* __restrict db = dparams + net.bOff[l];
        for (int j = 0; j < out; j++) {
            v16 sum = g[0][j];
            for (int v = 1; v < V; v++) sum += g[v][j];
            db[j] += sum;
        }
        for (int k = 0; k < in; k++) {
            v16 ak[V];
            for (int v = 0; v < V; v++) ak[v] = a[v][k];
            v16* __restrict row = dW + (int64_t)k * out;
            for (int j = 0; j < out; j++) {
                v16 sum = ak[0] * g[0][j];
                for (int v = 1; v < V; v++) sum += ak[v] * g[v][j];
                row[j] += sum;
            }
        }
    }
}

void flush(const Net& net, Scratch& s, int used, v16* dparams) {
    switch (used) {
        case 1: flush_gradients<1>(net, s, dparams); break;
        case 2: flush_gradients<2>(net, s, dparams); break;
        case 3: flush_gradients<3>(net, s, dparams); break;
        default: flush_gradients<4>(net, s, dparams); break;
    }
}

/* One optimizer step over the P parameters (ND4J's formulas, tower.h). */
void step_params(int optimizer, float* __restrict p, const float* __restrict grad, float* __restrict state, int64_t P,
                 float lr, float beta1, float beta2, float eps, int64_t t) {
    switch (optimizer) {
        case SL_OPT_SGD:
            for (int64_t k = 0; k < P; k++) p[k] -= lr * grad[k];
            break;
        case SL_OPT_ADAGRAD: {
            float* h = state;
            for (int64_t k = 0; k < P; k++) {
                h[k] += grad[k] * grad[k];
                p[k] -= (float)((double)lr * grad[k] / (std::sqrt((double)h[k]) + eps));
            }
            break;
        }
        default: {
            float* m = state;
            float* v = state + P;
            double alpha = (double)lr * std::sqrt(1.0 - std::pow((double)beta2, (double)t))
                           / (1.0 - std::pow((double)beta1, (double)t));
            for (int64_t k = 0; k < P; k++) {
                m[k] = beta1 * m[k] + (1.0f - beta1) * grad[k];
                v[k] = beta2 * v[k] + (1.0f - beta2) * grad[k] * grad[k];
                p[k] -= (float)(alpha * m[k] / (std::sqrt((double)v[k]) + eps));
            }
        }
    }
}

int check_rows(const char* verb, const float* x, const float* biasPair, int64_t n, const void* out) {
    (void)biasPair;
    SL_REQUIRE(n >= 0, verb, "n = %lld is negative", (long long)n);
    SL_REQUIRE(n == 0 || (x != nullptr && out != nullptr), verb, "x or an output is null with n = %lld", (long long)n);
    return SL_OK;
}

}  // namespace

extern "C" {

int sl_tower_size(int32_t nLayers, const int32_t* widths, int64_t* params) {
    SL_REQUIRE(params != nullptr, "sl_tower_size", "params is null");
    Net net{};
    int rc = describe("sl_tower_size", nLayers, widths, SL_ACT_LINEAR, &net);
    if (rc != SL_OK) return rc;
    *params = net.size;
    return sl::ok();
}

int sl_tower_predict(int32_t nLayers, const int32_t* widths, int32_t activation, const float* params,
                     const float* x, const float* biasPair, int64_t n, float* y) {
    const char* verb = "sl_tower_predict";
    Net net{};
    int rc = describe(verb, nLayers, widths, activation, &net);
    if (rc != SL_OK) return rc;
    rc = check_rows(verb, x, biasPair, n, y);
    if (rc != SL_OK) return rc;
    SL_REQUIRE(net.size == 0 || params != nullptr, verb, "params is null");
    const int64_t blocks = (n + kLanes - 1) / kLanes;
    const int threads = n >= kParallelRows ? tower_threads() : 1;
#pragma omp parallel num_threads(threads)
    {
        Scratch& s = scratch();
        prepare(net, s, false);
#pragma omp for schedule(static)
        for (int64_t blk = 0; blk < blocks; blk++) {
            const int64_t r0 = blk * kLanes;
            const int R = (int)std::min<int64_t>(kLanes, n - r0);
            load_block(net, x + r0 * net.w[0], R, layer(net, s, 0));
            v16 yb = forward_block(net, params, s, 0, R, biasPair != nullptr ? biasPair + 2 * r0 : nullptr);
            for (int r = 0; r < R; r++) y[r0 + r] = yb[r];
        }
    }
    return sl::ok();
}

int sl_tower_train(int32_t nLayers, const int32_t* widths, int32_t activation, float* params,
                   int32_t optimizer, float* optState, float lr, float beta1, float beta2, float eps,
                   int64_t step,
                   const float* x, const float* biasPair, const float* targets, int64_t n,
                   float* dx, float* dy, double* sums) {
    const char* verb = "sl_tower_train";
    Net net{};
    int rc = describe(verb, nLayers, widths, activation, &net);
    if (rc != SL_OK) return rc;
    rc = check_rows(verb, x, biasPair, n, dx);
    if (rc != SL_OK) return rc;
    SL_REQUIRE(n == 0 || (targets != nullptr && dy != nullptr), verb, "targets or dy is null with n = %lld", (long long)n);
    SL_REQUIRE(sums != nullptr, verb, "sums is null");
    SL_REQUIRE(optimizer >= SL_OPT_SGD && optimizer <= SL_OPT_ADAM, verb,
               "optimizer = %d is not SL_OPT_SGD (0), SL_OPT_ADAGRAD (1) or SL_OPT_ADAM (2)", (int)optimizer);
    SL_REQUIRE(net.size == 0 || params != nullptr, verb, "params is null");
    SL_REQUIRE(net.size == 0 || optimizer == SL_OPT_SGD || optState != nullptr, verb, "optState is null");
    SL_REQUIRE(lr == lr && lr >= 0.0f, verb, "lr = %g must be >= 0", (double)lr);
    SL_REQUIRE(eps > 0.0f, verb, "eps = %g must be > 0", (double)eps);
    SL_REQUIRE(beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f, verb,
               "betas (%g, %g) must be in [0, 1)", (double)beta1, (double)beta2);
    SL_REQUIRE(optimizer != SL_OPT_ADAM || step >= 1, verb, "step = %lld must be >= 1 for Adam", (long long)step);
    sums[0] = 0.0;
    sums[1] = 0.0;
    if (n == 0) return sl::ok();

    const int64_t P = net.size;
    const int64_t blocks = (n + kLanes - 1) / kLanes;
    const int threads = n >= kParallelRows ? tower_threads() : 1;
    const float scale = 2.0f / (float)n;
    // Per-thread results, combined below in thread order. Sized here, not in the
    // region: the runtime may start fewer threads than asked.
    std::vector<Scratch*> parts((size_t)threads, nullptr);
    std::vector<double> sq((size_t)threads, 0.0), ab((size_t)threads, 0.0);
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num();
        Scratch& s = scratch();
        prepare(net, s, true);
        s.dparams.assign((size_t)P, vzero());
        parts[(size_t)t] = &s;
        double sumSq = 0.0, sumAbs = 0.0;
        const int64_t groups = (blocks + kSlots - 1) / kSlots;
#pragma omp for schedule(static)
        for (int64_t grp = 0; grp < groups; grp++) {
            int used = 0;
            for (int v = 0; v < kSlots; v++) {
                const int64_t blk = grp * kSlots + v;
                if (blk >= blocks) break;
                const int64_t r0 = blk * kLanes;
                const int R = (int)std::min<int64_t>(kLanes, n - r0);
                load_block(net, x + r0 * net.w[0], R, layer(net, s, 0, v));
                v16 yb = forward_block(net, params, s, v, R, biasPair != nullptr ? biasPair + 2 * r0 : nullptr);
                v16 g = vzero();
                for (int r = 0; r < R; r++) {
                    float e = yb[r] - targets[r0 + r];
                    sumSq += (double)e * e;
                    sumAbs += std::fabs((double)e);
                    g[r] = e * scale;
                    dy[r0 + r] = g[r];
                }
                backward_block(net, params, s, v, R, g, dx + r0 * net.w[0]);
                used++;
            }
            flush(net, s, used, s.dparams.data());
        }
        sq[(size_t)t] = sumSq;
        ab[(size_t)t] = sumAbs;
    }
    for (int t = 0; t < threads; t++) {
        sums[0] += sq[(size_t)t];
        sums[1] += ab[(size_t)t];
    }
    if (P > 0) {
        Scratch& mine = scratch();
        mine.reduced.assign((size_t)P, 0.0f);
        for (int t = 0; t < threads; t++) {
            if (parts[(size_t)t] == nullptr) continue;
            const v16* o = parts[(size_t)t]->dparams.data();
            for (int64_t k = 0; k < P; k++) mine.reduced[(size_t)k] += hsum(o[k]);
        }
        step_params(optimizer, params, mine.reduced.data(), optState, P, lr, beta1, beta2, eps, step);
    }
    return sl::ok();
}

}  // extern "C"
