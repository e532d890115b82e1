package org.scatterlens.kernels;

/**
 * The Java-side checks every tier runs once per call, before any memory is
 * touched: buffer tiers and lengths, sizes, hyperparameters. Ids are checked by
 * the tiers themselves (the native builds name the first bad one).
 */
final class KernelArgs {
    private KernelArgs() {}

    static IllegalArgumentException bad(String verb, String message) {
        return new IllegalArgumentException(verb + ": " + message);
    }

    static void buffer(String verb, String name, NativeBuffer buffer, Tier tier, long neededElements) {
        if (buffer == null) {
            if (neededElements > 0) {
                throw bad(verb, name + " is null");
            }
            return;
        }
        if (buffer.tier() != tier) {
            throw bad(verb, name + " is " + buffer.tier().id() + " memory, not " + tier.id());
        }
        if (buffer.isClosed()) {
            throw bad(verb, name + " is closed");
        }
        if (neededElements > buffer.elements()) {
            throw bad(verb, name + " holds " + buffer.elements() + " elements, needs " + neededElements);
        }
    }

    static void table(String verb, String name, NativeBuffer table, Tier tier, long nRows, int dim) {
        if (nRows < 0) {
            throw bad(verb, "nRows = " + nRows + " is negative");
        }
        if (dim < 1) {
            throw bad(verb, "dim = " + dim + " must be >= 1");
        }
        buffer(verb, name, table, tier, nRows * dim);
    }

    static void batch(String verb, int batch) {
        if (batch < 0) {
            throw bad(verb, "batch = " + batch + " is negative");
        }
    }

    static void grads(String verb, NativeBuffer grads, Tier tier, int batch, long gradOffset, long gradStride, int dim) {
        if (gradOffset < 0) {
            throw bad(verb, "gradOffset = " + gradOffset + " is negative");
        }
        if (gradStride < dim) {
            throw bad(verb, "gradStride = " + gradStride + " is smaller than dim = " + dim);
        }
        buffer(verb, "grads", grads, tier, batch == 0 ? 0 : gradOffset + (batch - 1) * gradStride + dim);
    }

    static void rate(String verb, String name, float value) {
        if (!(value >= 0f) || Float.isInfinite(value)) {
            throw bad(verb, name + " = " + value + " must be finite and >= 0");
        }
    }

    static void update(String verb, NativeBuffer table, Tier tier, long nRows, int dim, NativeBuffer rows, int batch,
                       NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2) {
        table(verb, "table", table, tier, nRows, dim);
        batch(verb, batch);
        buffer(verb, "rows", rows, tier, batch);
        grads(verb, grads, tier, batch, gradOffset, gradStride, dim);
        rate(verb, "lr", lr);
        rate(verb, "l2", l2);
    }

    static void positive(String verb, String name, float value) {
        if (!(value > 0f) || Float.isInfinite(value)) {
            throw bad(verb, name + " = " + value + " must be finite and > 0");
        }
    }

    static void beta(String verb, String name, float value) {
        if (!(value >= 0f && value < 1f)) {
            throw bad(verb, name + " = " + value + " must be in [0, 1)");
        }
    }

    static void adam(String verb, NativeBuffer m, NativeBuffer v, NativeBuffer rowSteps, Tier tier, long nRows, int dim,
                     float beta1, float beta2, float eps, AdamSteps steps, long globalStep) {
        buffer(verb, "m", m, tier, nRows * dim);
        buffer(verb, "v", v, tier, nRows * dim);
        buffer(verb, "rowSteps", rowSteps, tier, nRows);
        beta(verb, "beta1", beta1);
        beta(verb, "beta2", beta2);
        positive(verb, "eps", eps);
        if (steps == null) {
            throw bad(verb, "steps is null");
        }
        if (steps == AdamSteps.GLOBAL && globalStep < 1) {
            throw bad(verb, "globalStep = " + globalStep + " must be >= 1 with AdamSteps.GLOBAL");
        }
    }

    static void gather(String verb, NativeBuffer userTable, long nUsers, int du, NativeBuffer itemTable, long nItems, int di,
                       NativeBuffer userRows, NativeBuffer itemRows, int batch, NativeBuffer out, Tier tier) {
        table(verb, "userTable", userTable, tier, nUsers, du);
        table(verb, "itemTable", itemTable, tier, nItems, di);
        batch(verb, batch);
        buffer(verb, "userRows", userRows, tier, batch);
        buffer(verb, "itemRows", itemRows, tier, batch);
        buffer(verb, "out", out, tier, (long) batch * (du + di));
    }
}
