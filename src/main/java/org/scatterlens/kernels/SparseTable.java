package org.scatterlens.kernels;

import java.util.Objects;

/**
 * One embedding table, (rows, dim) floats, with its optimizer state beside it,
 * all in one tier's memory, allocated once and freed by {@link #close}.
 *
 * <p>Order of use: construct; {@link #load} initial weights; per batch
 * {@link #update} with the batch's row ids and gradient rows; {@link #readWeights}
 * / {@link #readState} for checkpoints and the saved model.
 */
public final class SparseTable implements AutoCloseable {
    private final SparseKernels kernels;
    private final long rows;
    private final int dim;
    private final SparseOptimizer optimizer;
    private final NativeBuffer weights;      // (rows, dim)
    private final NativeBuffer[] slots;      // adagrad: accum; adam: m, v; each (rows, dim)
    private final NativeBuffer rowSteps;     // adam: (rows) ints; null otherwise
    private long steps;                      // update calls so far (Adam's global step)

    public SparseTable(SparseKernels kernels, long rows, int dim, SparseOptimizer optimizer) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (rows < 0 || dim < 1) {
            throw new IllegalArgumentException("table shape (" + rows + ", " + dim + ") must have rows >= 0 and dim >= 1");
        }
        this.rows = rows;
        this.dim = dim;
        long tableBytes = rows * dim * 4L;
        NativeBuffer[] made = new NativeBuffer[optimizer.slots()];
        NativeBuffer w = null;
        NativeBuffer steps = null;
        try {
            w = kernels.allocate(tableBytes);
            for (int i = 0; i < made.length; i++) {
                made[i] = kernels.allocate(tableBytes);
            }
            if (optimizer.kind() == SparseOptimizer.Kind.ADAM) {
                steps = kernels.allocate(rows * 4L);
            }
        } catch (RuntimeException e) {
            closeAll(w, steps, made);
            throw e;
        }
        this.weights = w;
        this.slots = made;
        this.rowSteps = steps;
    }

    private static void closeAll(NativeBuffer w, NativeBuffer steps, NativeBuffer[] slots) {
        if (w != null) {
            w.close();
        }
        if (steps != null) {
            steps.close();
        }
        for (NativeBuffer s : slots) {
            if (s != null) {
                s.close();
            }
        }
    }

    public long rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    public SparseOptimizer optimizer() {
        return optimizer;
    }

    public SparseKernels kernels() {
        return kernels;
    }

    /** The weights, for {@link SparseKernels#gather}. */
    public NativeBuffer weights() {
        return weights;
    }

    /** Update calls so far. */
    public long steps() {
        return steps;
    }

    /** Copies {@code values} (rows * dim, row-major) into the table. */
    public void load(float[] values) {
        requireLength("weights", values.length, rows * dim);
        weights.write(values);
    }

    public float[] readWeights() {
        kernels.synchronize();
        return weights.readFloats();
    }

    /**
     * Steps the rows named by {@code rowIds[0, batch)} with gradient rows at
     * {@code grads[gradOffset + b * gradStride, + dim)}; duplicates are summed first.
     */
    public void update(NativeBuffer rowIds, int batch, NativeBuffer grads, long gradOffset, long gradStride) {
        update(rowIds, batch, grads, gradOffset, gradStride, steps + 1);
    }

    /**
     * As {@link #update(NativeBuffer, int, NativeBuffer, long, long)}, as optimizer step {@code step}
     * (Adam's global step): one step's rows may be updated in several calls on disjoint rows, each
     * with the same step, and give exactly what one call would.
     *
     * @param step {@link #steps()} + 1 for a new step, or {@link #steps()} for more rows of the last one
     */
    public void update(NativeBuffer rowIds, int batch, NativeBuffer grads, long gradOffset, long gradStride, long step) {
        if (step != steps && step != steps + 1) {
            throw new IllegalArgumentException("step " + step + " is neither the last (" + steps + ") nor the next");
        }
        SparseOptimizer o = optimizer;
        long next = step;
        switch (o.kind()) {
            case SGD -> kernels.sgdUpdate(weights, rows, dim, rowIds, batch, grads, gradOffset, gradStride,
                    o.learningRate(), o.l2());
            case ADAGRAD -> kernels.adagradUpdate(weights, slots[0], rows, dim, rowIds, batch, grads, gradOffset,
                    gradStride, o.learningRate(), o.l2(), o.epsilon());
            case ADAM -> kernels.adamUpdate(weights, slots[0], slots[1], rowSteps, rows, dim, rowIds, batch, grads,
                    gradOffset, gradStride, o.learningRate(), o.l2(), o.beta1(), o.beta2(), o.epsilon(),
                    o.adamSteps(), next);
        }
        steps = next;
    }

    /** Optimizer state for a checkpoint: the float slots, each (rows, dim); see {@link #readRowSteps}. */
    public float[][] readState() {
        kernels.synchronize();
        float[][] out = new float[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            out[i] = slots[i].readFloats();
        }
        return out;
    }

    /** Adam's per-row update counts (rows), or an empty array for the other optimizers. */
    public int[] readRowSteps() {
        kernels.synchronize();
        return rowSteps == null ? new int[0] : rowSteps.readInts();
    }

    /** Restores what {@link #readState}, {@link #readRowSteps} and {@link #steps} returned. */
    public void restoreState(float[][] state, int[] perRowSteps, long stepCount) {
        if (state.length != slots.length) {
            throw new IllegalArgumentException("optimizer state has " + state.length + " slots, "
                    + optimizer.kind().id() + " needs " + slots.length);
        }
        for (int i = 0; i < slots.length; i++) {
            requireLength("state slot " + i, state[i].length, rows * dim);
            slots[i].write(state[i]);
        }
        if (rowSteps != null) {
            requireLength("rowSteps", perRowSteps.length, rows);
            rowSteps.write(perRowSteps);
        }
        if (stepCount < 0) {
            throw new IllegalArgumentException("step count " + stepCount + " is negative");
        }
        steps = stepCount;
    }

    private static void requireLength(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has " + actual + " values, the table needs " + expected);
        }
    }

    @Override
    public void close() {
        closeAll(weights, rowSteps, slots);
    }
}
