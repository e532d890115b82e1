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
    static int stateSize(SparseOptimizer.Kind optimizer, int parameters) {
        return switch (optimizer) {
            case SGD -> 0;
            case ADAGRAD -> parameters;
            case ADAM -> 2 * parameters;
        };
    }

    /** The one argument check of {@link #train}, shared by both implementations; messages name the argument. */
    static void checkTrain(TowerShape shape, NativeBuffer params, SparseOptimizer.Kind optimizer, NativeBuffer optState,
                           long step, NativeBuffer x, NativeBuffer biasPair, NativeBuffer targets, int n,
                           NativeBuffer dx, NativeBuffer dy, double[] sums) {
        checkPredict(shape, params, x, biasPair, n, null);
        need("optimizer state", optState, stateSize(optimizer, shape.parameterCount()));
        if (optimizer == SparseOptimizer.Kind.ADAM && step < 1) {
            throw new IllegalArgumentException("step = " + step + " must be >= 1 for Adam");
        }
        need("targets", targets, n);
        need("dx", dx, (long) n * shape.inputWidth());
        need("dy", dy, n);
        if (sums == null || sums.length < 2) {
            throw new IllegalArgumentException("sums needs 2 doubles");
        }
    }

    /** The one argument check of {@link #predict}; {@code y} may be null when only the inputs are checked. */
    static void checkPredict(TowerShape shape, NativeBuffer params, NativeBuffer x, NativeBuffer biasPair, int n,
                             NativeBuffer y) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + " is negative");
        }
        need("params", params, shape.parameterCount());
        need("x", x, (long) n * shape.inputWidth());
        if (biasPair != null) {
            need("biasPair", biasPair, 2L * n);
        }
        if (y != null) {
            need("y", y, n);
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
