/*
 * tower_cpu.cpp: tower.h on the CPU. The dense half of a step in one call,
 * where ND4J needs some 25 ops of 10-200 us each for the tutorial's tiny
 * layers (docs/benchmarks.md).
 *
 * The batch runs in blocks of kLanes rows: forward through every layer, loss,
 * and backward, while the block's activations (a few KB) stay in L1. Parameter
 * gradients accumulate per thread across its blocks and are summed in thread
 * order, then one optimizer step. Plain Java reference: kernels/JavaTower.
 *
 * Every multiply here is a stream of FMAs of a full vector by one broadcast
 * scalar, with the vector side kept in registers. Which side is the vector
 * depends on the product (see the comment above each):
 *   forward, dL/dA[l-1] for l >= 2, dW[l] for l >= 2   rows in the lanes (feature-major blocks)
 *   dx = dL/dZ[1] W[1]^T, dW[1] = X^T dL/dZ[1]          kLanes input features in the lanes (row-major, like x and dx)
 * The second kind reads and writes x and dx in their own row-major layout, so
 * the only transpose left is x's into the feature-major block (with shuffles).
 */
#include "tower.h"
#include "common.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

constexpr int64_t kParallelRows = 2048;  // below this, one thread: a parallel region costs ~10 us

int tower_threads() {
    int n = 1;
    sl_get_threads(&n);
    return n < 1 ? 1 : n;
}

/*
 * A block is kLanes rows held feature-major: one vector per feature, lane r = row r
 * of the block. Every multiply-add then works on kLanes rows at once whatever the
 * layer widths, and several output columns accumulate in registers side by side,
 * so no chain of dependent adds goes through memory. Lanes past the batch's end
 * carry zeros and a zero output gradient, so they add nothing to any gradient.
 *
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
constexpr int kLog2Lanes = kLanes == 16 ? 4 : kLanes == 8 ? 3 : 2;
static_assert(1 << kLog2Lanes == kLanes, "kLanes is a power of two");

inline v16 vzero() {
    v16 z = {};
    return z;
}

/* x, dx and the caller's buffers need not be 64-byte aligned: memcpy compiles to one unaligned move. */
inline v16 loadu(const float* p) {
    v16 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void storeu(float* p, v16 v) { std::memcpy(p, &v, sizeof v); }

/*
 * Keeps v in a register. Where both FMA operands are whole vectors (dw_tile), GCC
 * otherwise reloads the reused one from memory for every FMA: two 64-byte loads
 * per FMA, measured 2x slower there. AVX-512 only: with 16 registers (AVX2, SSE)
 * the barrier measured no gain on x86-64-v3 and ~10% slower on x86-64-v2.
 */
inline v16 pinned(v16 v) {
#if defined(__AVX512F__) && defined(__GNUC__)
    __asm__("" : "+v"(v));
#endif
    return v;
}

/* Sum of the lanes, always in lane order (deterministic). */
inline float hsum(v16 v) {
    float s = 0.0f;
    for (int i = 0; i < kLanes; i++) s += v[i];
    return s;
}

/* Half a block's lanes, in float and widened to double (one hardware vector): the loss sums. */
typedef double vhd __attribute__((vector_size(4 * kLanes)));
typedef float vhf __attribute__((vector_size(2 * kLanes)));

inline double hsum(vhd v) {
    double s = 0.0;
    for (int i = 0; i < kLanes / 2; i++) s += v[i];
    return s;
}

/*
 * Constant shuffles generic in kLanes: __builtin_shufflevector with the indices
 * F(0), F(1), ... F(kLanes - 1) of a constexpr F, expanded from an index pack.
 */
template <class F, int... I>
inline v16 shuffle2(v16 a, v16 b, std::integer_sequence<int, I...>) {
    return __builtin_shufflevector(a, b, F::at(I)...);
}

template <class F>
inline v16 shuffle2(v16 a, v16 b) {
    return shuffle2<F>(a, b, std::make_integer_sequence<int, kLanes>());
}

template <int Off, int... I>
inline vhf half(v16 a, std::integer_sequence<int, I...>) {
    return __builtin_shufflevector(a, a, (Off + I)...);
}

/*
 * The rows-in-the-lanes kernels multiply a vector by one weight at a time. With
 * AVX (and NEON) broadcasting the weight from memory is one load; with SSE alone
 * it is a movss and a shufps per multiply. So SSE builds broadcast the weights the
 * forward and the backward read (P vectors) once per call, and multiply by them as
 * whole vectors: the x86-64-v2 tower call measured ~10% faster (~760 -> ~690 us,
 * n = 5000, 1 thread). Weight is what those kernels read per weight: a float, or
 * the float in every lane.
 */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(__AVX__)
constexpr bool kWideWeights = true;
typedef v16 Weight;
inline Weight widen(float w) { return vzero() + w; }
#else
constexpr bool kWideWeights = false;
typedef float Weight;
inline Weight widen(float w) { return w; }
#endif

struct Net {
    int L;                 // layers; 0 = dot product
    const int32_t* w;      // widths[0..L]
    int act;
    int64_t wOff[65];      // offset of W[l] in params, l = 1..L
    int64_t bOff[65];
    int64_t size;          // P
    int chunks0;           // C0: kLanes-feature chunks of an input row, ceil(w[0] / kLanes)
    bool fullChunks;       // w[0] == kLanes * C0: x and dx rows are read and written as whole vectors
    int64_t off[66];       // vector offset of layer l in a slot's stack; layer 0 padded to kLanes * C0 vectors
    int64_t stack;         // vectors per slot
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
    int64_t at = 0;
    for (int l = 0; l <= nLayers; l++) {
        SL_REQUIRE(widths[l] >= 1 && widths[l] <= 4096, verb, "widths[%d] = %d must be in [1, 4096]", l, (int)widths[l]);
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
    net->chunks0 = (widths[0] + kLanes - 1) / kLanes;
    net->fullChunks = widths[0] == kLanes * net->chunks0;
    net->off[0] = 0;
    net->off[1] = (int64_t)kLanes * net->chunks0;
    for (int l = 1; l <= nLayers; l++) net->off[l + 1] = net->off[l] + widths[l];
    net->stack = net->off[nLayers + 1];
    return SL_OK;
}

/* ---- Transposes between row-major rows and feature-major blocks ---- */

/*
 * Exchanges bit B of the row index with bit B of the column index within the
 * pair of rows (lo, hi = lo | 1 << B); the steps B = 0..log2(kLanes) - 1
 * transpose kLanes x kLanes. Constant two-source shuffles: one vpermt2ps (or
 * cheaper) each with AVX-512, unpcklps / shufps / vperm2f128 with AVX and SSE.
 * Lane i of the new lo is lo[i] where bit B of i is clear, else hi[i - 2^B];
 * lane i of the new hi is lo[i + 2^B] where it is clear, else hi[i].
 */
template <int B>
struct ExchangeLo {
    static constexpr int at(int i) { return (i >> B & 1) ? kLanes + i - (1 << B) : i; }
};
template <int B>
struct ExchangeHi {
    static constexpr int at(int i) { return (i >> B & 1) ? kLanes + i : i + (1 << B); }
};

template <int B>
inline void exchange_all(v16* m) {
    for (int i = 0; i < kLanes; i++)
        if (!(i & (1 << B))) {
            const v16 lo = m[i], hi = m[i | (1 << B)];
            m[i] = shuffle2<ExchangeLo<B>>(lo, hi);
            m[i | (1 << B)] = shuffle2<ExchangeHi<B>>(lo, hi);
        }
}

/* m[i][j] <- m[j][i] for a kLanes x kLanes block, one exchange step per index bit. */
template <int B = 0>
inline void transpose(v16* m) {
    if constexpr (B < kLog2Lanes) {
        exchange_all<B>(m);
        transpose<B + 1>(m);
    }
}

/*
 * Loads rows [0, R) of x (R, w0) into layer 0 of a slot, feature-major, kLanes features
 * at a time through transpose; lanes past R and features past w0 are zero.
 */
void load_block(const Net& net, const float* __restrict x, int R, v16* __restrict a0) {
    const int w0 = net.w[0];
    v16 m[kLanes];
    for (int c = 0; c < net.chunks0; c++) {
        const int k0 = kLanes * c;
        if (net.fullChunks) {
            for (int r = 0; r < kLanes; r++) m[r] = r < R ? loadu(x + (int64_t)r * w0 + k0) : vzero();
        } else {
            const int kn = std::min(kLanes, w0 - k0);
            for (int r = 0; r < kLanes; r++) {
                m[r] = vzero();
                if (r < R)
                    for (int k = 0; k < kn; k++) m[r][k] = x[(int64_t)r * w0 + k0 + k];
            }
        }
        transpose(m);
        for (int k = 0; k < kLanes; k++) a0[k0 + k] = m[k];
    }
}

/* Writes feature-major vectors g (w0, padded to kLanes * C0) to rows [0, R) of out (R, w0). */
void store_rows(const Net& net, const v16* __restrict g, int R, float* __restrict out) {
    const int w0 = net.w[0];
    v16 m[kLanes];
    for (int c = 0; c < net.chunks0; c++) {
        const int k0 = kLanes * c;
        for (int k = 0; k < kLanes; k++) m[k] = g[k0 + k];
        transpose(m);
        const int kn = std::min(kLanes, w0 - k0);
        for (int r = 0; r < R; r++) {
            if (kn == kLanes) storeu(out + (int64_t)r * w0 + k0, m[r]);
            else for (int k = 0; k < kn; k++) out[(int64_t)r * w0 + k0 + k] = m[r][k];
        }
    }
}

/* ---- Rows in the lanes: forward, dL/dA[l-1] (l >= 2), dW[l] (l >= 2) ---- */

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
 * Layer widths as template arguments. The kernels below take IN and OUT: a
 * positive value is the layer's width known at compile time (loops fully
 * unrolled, every offset a constant, no index arithmetic competing with the
 * FMAs for registers); 0 means the width passed at run time. with_widths picks
 * the constants for the tutorial tower's layers (16 -> 32 -> 4 -> 1): the whole
 * call measured ~10% faster than with <0, 0> everywhere. Any other layer takes <0, 0>.
 */
template <int N>
using Int = std::integral_constant<int, N>;

template <class F>
inline void with_widths(int in, int out, F&& f) {
    if (in == 16 && out == 32) f(Int<16>(), Int<32>());
    else if (in == 32 && out == 4) f(Int<32>(), Int<4>());
    else if (in == 4 && out == 1) f(Int<4>(), Int<1>());
    else f(Int<0>(), Int<0>());
}

#define SL_WIDTHS(I, O) decltype(I)::value, decltype(O)::value

/*
 * z[j0 + jj] = act(sum_k a[k] W[k][j0 + jj] + b[j0 + jj]) for J columns, J accumulators in
 * registers; bias and activation applied before the one store of z.
 */
template <int IN, int OUT, int J>
inline void columns(const v16* __restrict a, int inR, const Weight* __restrict W, const float* __restrict b, int act,
                    int outR, int j0, v16* __restrict z) {
    const int in = IN ? IN : inR, out = OUT ? OUT : outR;
    v16 acc[J];
    for (int jj = 0; jj < J; jj++) acc[jj] = vzero();
    for (int k = 0; k < in; k++) {
        const v16 ak = a[k];
        const Weight* __restrict wk = W + (int64_t)k * out + j0;
        for (int jj = 0; jj < J; jj++) acc[jj] += wk[jj] * ak;
    }
    // The test on act outside the loops: inside, GCC spills the accumulators to apply it lane by lane.
    if (act == SL_ACT_RELU) {
        for (int jj = 0; jj < J; jj++) z[j0 + jj] = activate_v(SL_ACT_RELU, acc[jj] + b[j0 + jj]);
    } else if (act == SL_ACT_LINEAR) {
        for (int jj = 0; jj < J; jj++) z[j0 + jj] = acc[jj] + b[j0 + jj];
    } else {
        for (int jj = 0; jj < J; jj++) z[j0 + jj] = activate_v(act, acc[jj] + b[j0 + jj]);
    }
}

/* z (out) = act(a (in) W + b), W (in, out) row-major. */
template <int IN, int OUT>
void dense(const v16* a, int inR, const Weight* W, const float* b, int act, int outR, v16* z) {
    const int out = OUT ? OUT : outR;
    int j = 0;
    for (; j + 8 <= out; j += 8) columns<IN, OUT, 8>(a, inR, W, b, act, outR, j, z);
    if (j + 4 <= out) { columns<IN, OUT, 4>(a, inR, W, b, act, outR, j, z); j += 4; }
    if (j + 2 <= out) { columns<IN, OUT, 2>(a, inR, W, b, act, outR, j, z); j += 2; }
    if (j < out) columns<IN, OUT, 1>(a, inR, W, b, act, outR, j, z);
}

/*
 * gp[k0 + kk] = act'(own[k0 + kk]) * sum_j g[j] W[k0 + kk][j] for K rows of W, from
 * Wt = W^T (out, in), prepared per call so that the K weights of one j are adjacent.
 */
template <int IN, int OUT, int K>
inline void rows_t(const v16* __restrict g, int outR, const Weight* __restrict Wt, int inR, int act,
                   const v16* __restrict own, int k0, v16* __restrict gp) {
    const int in = IN ? IN : inR, out = OUT ? OUT : outR;
    v16 acc[K];
    for (int kk = 0; kk < K; kk++) acc[kk] = vzero();
    for (int j = 0; j < out; j++) {
        const v16 gj = g[j];
        const Weight* __restrict wj = Wt + (int64_t)j * in + k0;
        for (int kk = 0; kk < K; kk++) acc[kk] += wj[kk] * gj;
    }
    if (act == SL_ACT_RELU) {  // as in columns
        for (int kk = 0; kk < K; kk++) gp[k0 + kk] = backprop_v(SL_ACT_RELU, acc[kk], own[k0 + kk]);
    } else if (act == SL_ACT_LINEAR) {
        for (int kk = 0; kk < K; kk++) gp[k0 + kk] = acc[kk];
    } else {
        for (int kk = 0; kk < K; kk++) gp[k0 + kk] = backprop_v(act, acc[kk], own[k0 + kk]);
    }
}

/* gp (in) = (g (out) W^T) * act'(own), own = the layer's input activations; Wt = W^T. */
template <int IN, int OUT>
void dense_t(const v16* g, int outR, const Weight* Wt, int act, const v16* own, int inR, v16* gp) {
    const int in = IN ? IN : inR;
    int k = 0;
    for (; k + 8 <= in; k += 8) rows_t<IN, OUT, 8>(g, outR, Wt, inR, act, own, k, gp);
    if (k + 4 <= in) { rows_t<IN, OUT, 4>(g, outR, Wt, inR, act, own, k, gp); k += 4; }
    if (k + 2 <= in) { rows_t<IN, OUT, 2>(g, outR, Wt, inR, act, own, k, gp); k += 2; }
    if (k < in) rows_t<IN, OUT, 1>(g, outR, Wt, inR, act, own, k, gp);
}

/*
 * dW[k][j] += sum over slots v < used of a[v][k] g[v][j] for a KT x JT tile, lane-wise:
 * the tile's partial sums stay in registers across the slots, one load and store of
 * each accumulator per group of blocks. Slot v's vectors are at v * stride.
 */
template <int OUT, int KT, int JT>
inline void dw_tile(const v16* __restrict a, const v16* __restrict g, int64_t stride, int used, int outR, int k0,
                    int j0, v16* __restrict dW) {
    const int out = OUT ? OUT : outR;
    v16 acc[KT][JT];
    for (int kk = 0; kk < KT; kk++)
        for (int jj = 0; jj < JT; jj++) acc[kk][jj] = vzero();
    for (int v = 0; v < used; v++) {
        const v16* av = a + v * stride;
        const v16* gv = g + v * stride;
        v16 ak[KT];
        for (int kk = 0; kk < KT; kk++) ak[kk] = pinned(av[k0 + kk]);
        for (int jj = 0; jj < JT; jj++) {
            const v16 gj = pinned(gv[j0 + jj]);
            for (int kk = 0; kk < KT; kk++) acc[kk][jj] += ak[kk] * gj;
        }
    }
    for (int kk = 0; kk < KT; kk++)
        for (int jj = 0; jj < JT; jj++) dW[(int64_t)(k0 + kk) * out + j0 + jj] += acc[kk][jj];
}

template <int OUT, int KT>
inline void dw_rows(const v16* a, const v16* g, int64_t stride, int used, int outR, int k0, v16* dW) {
    const int out = OUT ? OUT : outR;
    int j = 0;
    for (; j + 4 <= out; j += 4) dw_tile<OUT, KT, 4>(a, g, stride, used, outR, k0, j, dW);
    if (j + 2 <= out) { dw_tile<OUT, KT, 2>(a, g, stride, used, outR, k0, j, dW); j += 2; }
    if (j < out) dw_tile<OUT, KT, 1>(a, g, stride, used, outR, k0, j, dW);
}

/* dW (in, out) += A^T G and db += sum of G over the group's slots, lane-wise. */
template <int IN, int OUT>
void dw_layer(const v16* a, const v16* g, int64_t stride, int used, int inR, int outR, v16* dW, v16* __restrict db) {
    const int in = IN ? IN : inR, out = OUT ? OUT : outR;
    for (int j = 0; j < out; j++) {
        v16 sum = g[j];
        for (int v = 1; v < used; v++) sum += g[v * stride + j];
        db[j] += sum;
    }
    if (dW == nullptr) return;
    // 4 x 4 tiles: 16 accumulators + 5 operands, more than AVX2's and SSE's 16 registers,
    // yet 2 x 4 tiles there measured no faster (x86-64-v3) or ~4% slower (x86-64-v2).
    int k = 0;
    for (; k + 4 <= in; k += 4) dw_rows<OUT, 4>(a, g, stride, used, outR, k, dW);
    for (; k < in; k++) dw_rows<OUT, 1>(a, g, stride, used, outR, k, dW);
}

/* ---- kLanes input features in the lanes: dx and dW[1] ---- */

/*
 * dx rows [0, R) = dL/dZ[1] W[1]^T. Each row's kLanes-feature chunk is one accumulator
 * (kLanes rows, kLanes accumulators), fed by W[1]^T's row j (wt, prepared per call) times
 * the broadcast dL/dZ[1][j] of that row: dx comes out row-major, as stored.
 */
template <int IN, int OUT>
void write_dx(const Net& net, const v16* __restrict wt, const v16* __restrict g1, int R, float* __restrict dx) {
    const int w0 = IN ? IN : net.w[0], out = OUT ? OUT : net.w[1];
    const int C0 = IN ? (IN + kLanes - 1) / kLanes : net.chunks0;
    const bool full = IN ? IN % kLanes == 0 : net.fullChunks;
    const float* __restrict gs = reinterpret_cast<const float*>(g1);
    for (int c = 0; c < C0; c++) {
        const int k0 = kLanes * c;
        v16 acc[kLanes];
        for (int r = 0; r < kLanes; r++) acc[r] = vzero();
        for (int j = 0; j < out; j++) {
            const v16 wj = wt[(int64_t)j * C0 + c];
            const float* __restrict gj = gs + (int64_t)j * kLanes;
            for (int r = 0; r < kLanes; r++) acc[r] += gj[r] * wj;
        }
        if (full && R == kLanes) {
            for (int r = 0; r < kLanes; r++) storeu(dx + (int64_t)r * w0 + k0, acc[r]);
        } else {
            const int kn = std::min(kLanes, w0 - k0);
            for (int r = 0; r < R; r++)
                for (int k = 0; k < kn; k++) dx[(int64_t)r * w0 + k0 + k] = acc[r][k];
        }
    }
}

/* One slot's rows for dW[1]: x's rows (or a zero-padded copy) and dL/dZ[1] of the block. */
struct SlotRows {
    const float* x;   // row r at x + r * stride, kLanes * C0 readable floats
    int64_t stride;
    int R;
    const float* g1;  // dL/dZ[1][j] of row r at g1[kLanes j + r]
};

/*
 * dW[1]^T rows j0..j0+J, chunk c: acc[jj] (kLanes features) += x_r * dL/dZ[1][r][j0 + jj] over the
 * group's rows, in row order. J accumulators in registers, one x row load per J FMAs.
 */
template <int J>
inline void dw1_columns(const SlotRows* slots, int used, int C0, int j0, int c, v16* __restrict dw1t) {
    v16 acc[J];
    for (int jj = 0; jj < J; jj++) acc[jj] = dw1t[(int64_t)(j0 + jj) * C0 + c];
    for (int v = 0; v < used; v++) {
        const SlotRows& s = slots[v];
        for (int r = 0; r < s.R; r++) {
            const v16 xr = loadu(s.x + r * s.stride + kLanes * c);
            for (int jj = 0; jj < J; jj++) acc[jj] += s.g1[(j0 + jj) * kLanes + r] * xr;
        }
    }
    for (int jj = 0; jj < J; jj++) dw1t[(int64_t)(j0 + jj) * C0 + c] = acc[jj];
}

/* dW[1]^T (w1, C0 vectors) += the group's X^T dL/dZ[1]. */
template <int IN, int OUT>
void dw1(const Net& net, const SlotRows* rows, int used, v16* dw1t) {
    const int w1 = OUT ? OUT : net.w[1];
    const int C0 = IN ? (IN + kLanes - 1) / kLanes : net.chunks0;
    for (int c = 0; c < C0; c++) {
        int j = 0;
        for (; j + 8 <= w1; j += 8) dw1_columns<8>(rows, used, C0, j, c, dw1t);
        if (j + 4 <= w1) { dw1_columns<4>(rows, used, C0, j, c, dw1t); j += 4; }
        if (j + 2 <= w1) { dw1_columns<2>(rows, used, C0, j, c, dw1t); j += 2; }
        if (j < w1) dw1_columns<1>(rows, used, C0, j, c, dw1t);
    }
}

/*
 * The MSE loss of a block: e = y - t for the first R lanes (0 past them); adds e^2 and
 * |e| in double per lane to sq and ab, writes and returns dy = e * scale.
 */
inline v16 loss(v16 y, const float* __restrict t, int R, float scale, float* __restrict dy, vhd& sq, vhd& ab) {
    v16 e;
    if (R == kLanes) {
        e = y - loadu(t);
    } else {
        e = vzero();
        for (int r = 0; r < R; r++) e[r] = y[r] - t[r];
    }
    const vhf lo = half<0>(e, std::make_integer_sequence<int, kLanes / 2>());
    const vhf hi = half<kLanes / 2>(e, std::make_integer_sequence<int, kLanes / 2>());
    const vhd dl = __builtin_convertvector(lo, vhd), dh = __builtin_convertvector(hi, vhd);
    sq += dl * dl;
    sq += dh * dh;
    ab += dl < 0.0 ? -dl : dl;
    ab += dh < 0.0 ? -dh : dh;
    const v16 g = e * scale;
    if (R == kLanes) storeu(dy, g);
    else for (int r = 0; r < R; r++) dy[r] = g[r];
    return g;
}

/* ---- Per-thread state ---- */

/*
 * Blocks are processed in groups of kSlots: the parameter gradients of a group
 * are summed over its slots in registers before they touch the accumulators in
 * memory (lane-wise ones: one load and store per kSlots blocks). 8 measured a few
 * percent faster than 4 on the tutorial tower although a group's activations and
 * gradients (~54 KB) then spill from L1 to L2. Measured with 16 lanes; on the
 * x86-64-v3 and -v2 builds (8 and 4 lanes, smaller groups) 4 and 16 were within noise of 8.
 */
constexpr int kSlots = 8;

/* Per-thread scratch, reused across calls. */
struct Scratch {
    std::vector<v16> acts;        // kSlots stacks: A[l] of each slot's block, l = 0..L
    std::vector<v16> grads;       // kSlots stacks: dL/dZ[l] of each slot's block (l >= 1), dL/dX at l = 0
    std::vector<float> xpad;      // kSlots x kLanes rows of kLanes * C0 floats: x's rows zero-padded when w0 % kLanes != 0
    std::vector<v16> dw1t;        // dW[1]^T (w1, C0 vectors): kLanes input features per vector
    std::vector<v16> lanes;       // lane-wise partial gradients of params [bOff[1], P): b[1], W[2], b[2], ...
    std::vector<v16> wt;          // W[1]^T (w1, C0 vectors), zero past w0: the calling thread's, for write_dx
    std::vector<Weight> wT;       // W[l]^T (l >= 2) at W[l]'s offset: the calling thread's, for dense_t
    std::vector<Weight> wide;     // SSE builds: every parameter broadcast (kWideWeights), the calling thread's
    std::vector<float> reduced;   // P
    // The calling thread's per-call bookkeeping, kept to spare the allocations.
    std::vector<Scratch*> parts;  // each thread's scratch, by thread number
    std::vector<double> sq, ab;   // each thread's loss sums
};

Scratch& scratch() {
    static thread_local Scratch s;
    return s;
}

template <typename T>
void reserve(std::vector<T>& v, int64_t n) {
    if ((int64_t)v.size() < n) v.resize((size_t)n);
}

void prepare(const Net& net, Scratch& s, bool training) {
    reserve(s.acts, kSlots * net.stack);
    if (training) reserve(s.grads, kSlots * net.stack);
}

/* The weights as the kernels read them: params itself, or broadcast into mine.wide. */
const Weight* weights_of(const float* params, int64_t P, Scratch& mine) {
    if constexpr (kWideWeights) {
        reserve(mine.wide, P);
        for (int64_t k = 0; k < P; k++) mine.wide[(size_t)k] = widen(params[k]);
        return mine.wide.data();
    } else {
        (void)P;
        (void)mine;
        return reinterpret_cast<const Weight*>(params);
    }
}

/* A[l] of slot v. */
inline v16* layer(const Net& net, Scratch& s, int l, int v = 0) { return s.acts.data() + v * net.stack + net.off[l]; }

/* dL/dZ[l] (l >= 1) or dL/dX (l = 0) of slot v. */
inline v16* grad(const Net& net, Scratch& s, int l, int v) { return s.grads.data() + v * net.stack + net.off[l]; }

struct Even {
    static constexpr int at(int i) { return 2 * i; }
};
struct Odd {
    static constexpr int at(int i) { return 2 * i + 1; }
};

/* Forward of a loaded block: returns y per lane (biases from biasPair added for the first R lanes). */
v16 forward_block(const Net& net, const float* __restrict params, const Weight* __restrict weights, Scratch& s, int v, int R, const float* biasPair) {
    v16 y;
    const v16* a0 = layer(net, s, 0, v);
    if (net.L == 0) {
        const int d = net.w[0] / 2;
        y = vzero();
        for (int k = 0; k < d; k++) y += a0[k] * a0[d + k];
    } else {
        const v16* prev = a0;
        for (int l = 1; l <= net.L; l++) {
            v16* z = layer(net, s, l, v);
            const int in = net.w[l - 1], out = net.w[l], act = l < net.L ? net.act : SL_ACT_LINEAR;
            const Weight* W = weights + net.wOff[l];
            const float* b = params + net.bOff[l];
            with_widths(in, out, [&](auto I, auto O) { dense<SL_WIDTHS(I, O)>(prev, in, W, b, act, out, z); });
            prev = z;
        }
        y = prev[0];
    }
    if (biasPair != nullptr && R == kLanes) {
        // (kLanes, 2) interleaved: user biases at even positions, movie biases at odd.
        const v16 p0 = loadu(biasPair), p1 = loadu(biasPair + kLanes);
        y += shuffle2<Even>(p0, p1) + shuffle2<Odd>(p0, p1);
    } else if (biasPair != nullptr) {
        for (int r = 0; r < R; r++) y[r] += biasPair[2 * r] + biasPair[2 * r + 1];
    }
    return y;
}

/*
 * Backward of slot v's block from dy (lanes past R are 0) down to dL/dZ[1], kept with
 * every layer's dL/dZ[l] for the group's dx and gradients (dx_and_gradients).
 * dL/dA[l-1] = dL/dZ[l] W[l]^T uses the weights before this step's update, transposed
 * per call: wT holds W[l]^T (l >= 2) at W[l]'s offset.
 * The dot product (L = 0) writes its dx rows [0, R) here.
 */
void backward_block(const Net& net, const Weight* __restrict wT, Scratch& s, int v, int R, v16 dy,
                    float* __restrict dx) {
    if (net.L == 0) {
        const int d = net.w[0] / 2;
        const v16* a0 = layer(net, s, 0, v);
        v16* gIn = grad(net, s, 0, v);
        for (int k = 0; k < d; k++) {
            gIn[k] = a0[d + k] * dy;
            gIn[d + k] = a0[k] * dy;
        }
        store_rows(net, gIn, R, dx);
        return;
    }
    grad(net, s, net.L, v)[0] = dy;
    for (int l = net.L; l >= 2; l--) {
        const int in = net.w[l - 1], out = net.w[l];
        const v16* g = grad(net, s, l, v);
        const Weight* Wt = wT + net.wOff[l];
        const v16* own = layer(net, s, l - 1, v);
        v16* gp = grad(net, s, l - 1, v);
        with_widths(in, out, [&](auto I, auto O) { dense_t<SL_WIDTHS(I, O)>(g, out, Wt, net.act, own, in, gp); });
    }
}

/*
 * After a group's backward passes: its dx rows (wt = W[1]^T before the step, in
 * kLanes-feature vectors) and its parameter gradients, dW[1] into dw1t (x's rows times
 * the broadcast dL/dZ[1]), everything else lane-wise into lanes. Done per group
 * rather than per block: the dL/dZ[1] stores have long reached L1 when they are
 * read back as broadcast scalars.
 */
void dx_and_gradients(const Net& net, Scratch& s, const v16* wt, const SlotRows* rows, int used, float* const* dxs) {
    const int w0 = net.w[0], w1 = net.w[1];
    with_widths(w0, w1, [&](auto I, auto O) {
        for (int v = 0; v < used; v++) write_dx<SL_WIDTHS(I, O)>(net, wt, grad(net, s, 1, v), rows[v].R, dxs[v]);
        dw1<SL_WIDTHS(I, O)>(net, rows, used, s.dw1t.data());
    });
    v16* lanes = s.lanes.data() - net.bOff[1];  // indexed by parameter offset
    for (int l = 1; l <= net.L; l++) {
        const int in = net.w[l - 1], out = net.w[l];
        const v16* a = layer(net, s, l - 1, 0);
        const v16* g = grad(net, s, l, 0);
        v16* dW = l == 1 ? nullptr : lanes + net.wOff[l];  // dW[1] is dw1t's
        v16* db = lanes + net.bOff[l];
        with_widths(in, out, [&](auto I, auto O) { dw_layer<SL_WIDTHS(I, O)>(a, g, net.stack, used, in, out, dW, db); });
    }
}

/*
 * One optimizer step over the P parameters (ND4J's formulas, tower.h). Not inlined:
 * inlined into sl_tower_train, GCC 12 leaves these loops scalar (a double sqrt and
 * divide per parameter, ~2 us of the tutorial tower's call); on its own it vectorizes them.
 */
__attribute__((noinline)) void step_params(int optimizer, float* __restrict p, const float* __restrict grad, float* __restrict state, int64_t P,
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
    const Weight* weights = weights_of(params, net.size, scratch());
#pragma omp parallel num_threads(threads)
    {
        Scratch& s = scratch();
        prepare(net, s, false);
#pragma omp for schedule(static)
        for (int64_t blk = 0; blk < blocks; blk++) {
            const int64_t r0 = blk * kLanes;
            const int R = (int)std::min<int64_t>(kLanes, n - r0);
            load_block(net, x + r0 * net.w[0], R, layer(net, s, 0));
            v16 yb = forward_block(net, params, weights, s, 0, R, biasPair != nullptr ? biasPair + 2 * r0 : nullptr);
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
    const int w0 = net.w[0], C0 = net.chunks0;
    const int w1 = net.L >= 1 ? net.w[1] : 0;
    const int64_t laneParams = net.L >= 1 ? P - net.bOff[1] : 0;

    // W[1]^T for write_dx, kLanes input features per vector, zero past w0; the weights before the step.
    Scratch& mine = scratch();
    mine.wt.assign((size_t)w1 * C0, vzero());
    for (int j = 0; j < w1; j++)
        for (int c = 0; c < C0; c++)
            for (int kk = 0; kk < kLanes && kLanes * c + kk < w0; kk++)
                mine.wt[(size_t)j * C0 + c][kk] = params[net.wOff[1] + (int64_t)(kLanes * c + kk) * w1 + j];
    const v16* wt = mine.wt.data();
    reserve(mine.wT, P);
    for (int l = 2; l <= net.L; l++) {
        const int in = net.w[l - 1], out = net.w[l];
        for (int k = 0; k < in; k++)
            for (int j = 0; j < out; j++) mine.wT[net.wOff[l] + (int64_t)j * in + k] = widen(params[net.wOff[l] + (int64_t)k * out + j]);
    }
    const Weight* wT = mine.wT.data();
    const Weight* weights = weights_of(params, P, mine);

    // Per-thread results, combined below in thread order. Sized here, not in the
    // region: the runtime may start fewer threads than asked.
    std::vector<Scratch*>& parts = mine.parts;
    std::vector<double>& sq = mine.sq;
    std::vector<double>& ab = mine.ab;
    parts.assign((size_t)threads, nullptr);
    sq.assign((size_t)threads, 0.0);
    ab.assign((size_t)threads, 0.0);
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num();
        Scratch& s = scratch();
        prepare(net, s, true);
        s.dw1t.assign((size_t)w1 * C0, vzero());
        s.lanes.assign((size_t)laneParams, vzero());
        if (!net.fullChunks) reserve(s.xpad, (int64_t)kSlots * kLanes * kLanes * C0);
        parts[(size_t)t] = &s;
        vhd sumSq = {}, sumAbs = {};  // per lane, over this thread's blocks
        const int64_t groups = (blocks + kSlots - 1) / kSlots;
#pragma omp for schedule(static)
        for (int64_t grp = 0; grp < groups; grp++) {
            SlotRows rows[kSlots];
            float* dxs[kSlots];
            int used = 0;
            for (int v = 0; v < kSlots; v++) {
                const int64_t blk = grp * kSlots + v;
                if (blk >= blocks) break;
                const int64_t r0 = blk * kLanes;
                const int R = (int)std::min<int64_t>(kLanes, n - r0);
                const float* xb = x + r0 * w0;
                load_block(net, xb, R, layer(net, s, 0, v));
                v16 yb = forward_block(net, params, weights, s, v, R, biasPair != nullptr ? biasPair + 2 * r0 : nullptr);
                const v16 g = loss(yb, targets + r0, R, scale, dy + r0, sumSq, sumAbs);
                backward_block(net, wT, s, v, R, g, dx + r0 * w0);
                dxs[v] = dx + r0 * w0;
                if (net.L >= 1) {
                    rows[v] = SlotRows{xb, w0, R, reinterpret_cast<const float*>(grad(net, s, 1, v))};
                    if (!net.fullChunks) {
                        // dw1_columns reads whole kLanes-float chunks: a zero-padded copy of the rows.
                        float* pad = s.xpad.data() + (int64_t)v * kLanes * kLanes * C0;
                        for (int r = 0; r < R; r++) {
                            float* pr = pad + (int64_t)r * kLanes * C0;
                            for (int k = 0; k < kLanes * C0; k++) pr[k] = k < w0 ? xb[(int64_t)r * w0 + k] : 0.0f;
                        }
                        rows[v].x = pad;
                        rows[v].stride = kLanes * C0;
                    }
                }
                used++;
            }
            if (net.L >= 1) dx_and_gradients(net, s, wt, rows, used, dxs);
        }
        sq[(size_t)t] = hsum(sumSq);
        ab[(size_t)t] = hsum(sumAbs);
    }
    for (int t = 0; t < threads; t++) {
        sums[0] += sq[(size_t)t];
        sums[1] += ab[(size_t)t];
    }
    if (P > 0) {
        mine.reduced.assign((size_t)P, 0.0f);
        float* red = mine.reduced.data();
        for (int t = 0; t < threads; t++) {
            const Scratch* o = parts[(size_t)t];
            if (o == nullptr) continue;
            for (int j = 0; j < w1; j++)  // dW[1][k][j] is lane k % kLanes of dw1t[j][k / kLanes]
                for (int c = 0; c < C0; c++)
                    for (int kk = 0; kk < kLanes && kLanes * c + kk < w0; kk++)
                        red[net.wOff[1] + (int64_t)(kLanes * c + kk) * w1 + j] += o->dw1t[(size_t)j * C0 + c][kk];
            for (int64_t q = 0; q < laneParams; q++) red[net.bOff[1] + q] += hsum(o->lanes[(size_t)q]);
        }
        step_params(optimizer, params, red, optState, P, lr, beta1, beta2, eps, step);
    }
    return sl::ok();
}

}  // extern "C"
