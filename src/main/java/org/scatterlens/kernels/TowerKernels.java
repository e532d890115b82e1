package org.scatterlens.kernels;

/**
 * The dense half of a training step as one call (native/tower.h): the tower's
 * forward pass, the MSE loss, the backward pass and one optimizer step of the
 * tower's parameters. The fused engine runs it between the sparse gather and
 * the sparse updates. Two implementations: {@link NativeTower} (the CPU build)
 * and {@link JavaTower} (the plain-Java reference it is tested against).
 *
 * <p>Buffers are host memory of the implementation's tier, row-major floats:
 * params (P) in ND4J's flat order W[1], b[1], W[2], b[2]...; optimizer state as
 * ND4J lays it out (AdaGrad: h (P), starting at epsilon; Adam: m (P) then v (P));
 * x (n, widths[0]); biasPair null or (n, 2); targets, dy (n); dx like x.
 */
public interface TowerKernels {

    Tier tier();

    /**
     * One step: forward, loss mean((y - t)^2), backward, optimizer step with t = {@code step} (from 1).
     * Writes dx = dL/dX from the weights before the step, dy = dL/dy = 2 (y - t) / n, and
     * sums = {sum of squared errors, sum of absolute errors}. n = 0 changes nothing.
     */
    void train(TowerShape shape, NativeBuffer params, SparseOptimizer.Kind optimizer, float learningRate,
               float beta1, float beta2, float epsilon, NativeBuffer optState, long step,
               NativeBuffer x, NativeBuffer biasPair, NativeBuffer targets, int n,
               NativeBuffer dx, NativeBuffer dy, double[] sums);

    /** y (n) = the model's centered predictions for x (and biasPair when not null). */
    void predict(TowerShape shape, NativeBuffer params, NativeBuffer x, NativeBuffer biasPair, int n, NativeBuffer y);

    /** Floats of optimizer state for {@code parameters} parameters. */
    static long stateSize(SparseOptimizer.Kind optimizer, long parameters) {
        return switch (optimizer) {
            case SGD -> 0;
            case ADAGRAD -> parameters;
            case ADAM -> 2 * parameters;
        };
    }

    /** Checks the buffers' sizes against the shape and n; the message names the buffer. */
    static void checkBuffers(TowerShape shape, NativeBuffer params, SparseOptimizer.Kind optimizer,
                             NativeBuffer optState, NativeBuffer x, NativeBuffer biasPair, int n,
                             NativeBuffer... perRow) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + " is negative");
        }
        long p = shape.parameterCount();
        need("params", params, p);
        if (optimizer != null) {
            need("optimizer state", optState, stateSize(optimizer, p));
        }
        need("x", x, (long) n * shape.inputWidth());
        if (biasPair != null) {
            need("biasPair", biasPair, 2L * n);
        }
        for (NativeBuffer b : perRow) {
            need("per-row buffer", b, n);
        }
    }

    private static void need(String what, NativeBuffer b, long floats) {
        if (floats == 0) {
            return;
        }
        if (b == null) {
            throw new IllegalArgumentException(what + " is null, needs " + floats + " floats");
        }
        if (b.elements() < floats) {
            throw new IllegalArgumentException(what + " holds " + b.elements() + " floats, needs " + floats);
        }
    }
}
