/*
 * common.h: host-side helpers every build shares: the thread-local error
 * message behind sl_last_error(), argument checks that name the verb and the
 * value, and the thread count of the OpenMP builds.
 */
#ifndef SCATTERLENS_COMMON_H
#define SCATTERLENS_COMMON_H

#include "scatterlens.h"

#include <stdarg.h>
#include <stdio.h>
#include <string>

namespace sl {

inline std::string& error_slot() {
    static thread_local std::string message;
    return message;
}

/* Records "verb: message" for sl_last_error() and returns code. */
inline int fail(int code, const char* verb, const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    error_slot() = std::string(verb) + ": " + buf;
    return code;
}

inline int ok() {
    error_slot().clear();
    return SL_OK;
}

#define SL_REQUIRE(cond, verb, ...) \
    do { if (!(cond)) return ::sl::fail(SL_EINVAL, verb, __VA_ARGS__); } while (0)

/* Checks shared by the three builds; ids themselves are checked by each build. */
inline int check_table(const char* verb, const void* table, int64_t nRows, int32_t dim) {
    SL_REQUIRE(nRows >= 0, verb, "nRows = %lld is negative", (long long)nRows);
    SL_REQUIRE(dim >= 1, verb, "dim = %d must be >= 1", (int)dim);
    SL_REQUIRE(table != nullptr || nRows == 0, verb, "table is null with nRows = %lld", (long long)nRows);
    return SL_OK;
}

inline int check_update(const char* verb, const float* table, int64_t nRows, int32_t dim,
                        const int32_t* rows, int64_t batch, const float* grads, int64_t gradStride,
                        float lr, float l2) {
    int rc = check_table(verb, table, nRows, dim);
    if (rc != SL_OK) return rc;
    SL_REQUIRE(batch >= 0, verb, "batch = %lld is negative", (long long)batch);
    SL_REQUIRE(gradStride >= dim, verb, "gradStride = %lld is smaller than dim = %d", (long long)gradStride, (int)dim);
    SL_REQUIRE(batch == 0 || (rows != nullptr && grads != nullptr), verb, "rows or grads is null with batch = %lld", (long long)batch);
    SL_REQUIRE(lr == lr && lr >= 0.0f, verb, "lr = %g must be >= 0", (double)lr);
    SL_REQUIRE(l2 == l2 && l2 >= 0.0f, verb, "l2 = %g must be >= 0", (double)l2);
    return SL_OK;
}

inline int check_adam(const char* verb, const float* m, const float* v, const int32_t* rowSteps, int64_t nRows,
                      float beta1, float beta2, float eps, int32_t stepMode, int64_t globalStep) {
    SL_REQUIRE(nRows == 0 || (m != nullptr && v != nullptr && rowSteps != nullptr), verb, "m, v or rowSteps is null");
    SL_REQUIRE(beta1 >= 0.0f && beta1 < 1.0f, verb, "beta1 = %g must be in [0, 1)", (double)beta1);
    SL_REQUIRE(beta2 >= 0.0f && beta2 < 1.0f, verb, "beta2 = %g must be in [0, 1)", (double)beta2);
    SL_REQUIRE(eps > 0.0f, verb, "eps = %g must be > 0", (double)eps);
    SL_REQUIRE(stepMode == SL_ADAM_STEP_PER_ROW || stepMode == SL_ADAM_STEP_GLOBAL, verb,
               "stepMode = %d is neither SL_ADAM_STEP_PER_ROW (0) nor SL_ADAM_STEP_GLOBAL (1)", (int)stepMode);
    SL_REQUIRE(stepMode != SL_ADAM_STEP_GLOBAL || globalStep >= 1, verb,
               "globalStep = %lld must be >= 1 with SL_ADAM_STEP_GLOBAL", (long long)globalStep);
    return SL_OK;
}

inline int check_gather(const char* verb, const float* userTable, int64_t nUsers, int32_t du,
                        const float* itemTable, int64_t nItems, int32_t di,
                        const int32_t* userRows, const int32_t* itemRows, int64_t batch, const float* out) {
    int rc = check_table(verb, userTable, nUsers, du);
    if (rc != SL_OK) return rc;
    rc = check_table(verb, itemTable, nItems, di);
    if (rc != SL_OK) return rc;
    SL_REQUIRE(batch >= 0, verb, "batch = %lld is negative", (long long)batch);
    SL_REQUIRE(batch == 0 || (userRows != nullptr && itemRows != nullptr && out != nullptr), verb,
               "userRows, itemRows or out is null with batch = %lld", (long long)batch);
    return SL_OK;
}

/* Host loop that names the first id outside [0, nRows). */
inline int check_ids_host(const char* verb, const char* what, const int32_t* ids, int64_t n, int64_t nRows) {
    for (int64_t i = 0; i < n; i++) {
        if (ids[i] < 0 || ids[i] >= nRows)
            return fail(SL_EINVAL, verb, "%s[%lld] = %d is outside [0, %lld)", what, (long long)i, (int)ids[i], (long long)nRows);
    }
    return SL_OK;
}

}  // namespace sl

#endif /* SCATTERLENS_COMMON_H */
