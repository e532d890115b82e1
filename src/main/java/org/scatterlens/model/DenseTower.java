package org.scatterlens.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BiasAdd;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Tower} as raw ND4J ops. One of the few classes that see ND4J types
 * (DESIGN.md).
 *
 * <p>Everything is allocated once for {@code maxBatch} rows: parameters and
 * gradients as one flat vector each (so ND4J's updater steps them in one call),
 * activations and their gradients per layer. A smaller batch uses row views of
 * the same buffers. Only ND4J ops touch the arrays, so the same code runs on
 * ND4J's CUDA backend.
 *
 * <pre>
 *   A[0] = X               (B, in)     written by the gather kernel
 *   A[l] = act(A[l-1] W[l] + b[l])     act = identity for the last layer
 *   y    = A[L]            (B, 1)
 *   G[L] = dL/dy           (B, 1)      written by the engine
 *   G[l] = dL/dA[l]; in place dL/dZ[l] = G[l] * act'(A[l])
 *   dW[l] = A[l-1]^T G[l],  db[l] = sum_rows G[l],  G[l-1] = G[l] W[l]^T
 *   G[0] = dL/dX           (B, in)     read by the sparse update
 * </pre>
 */
public final class DenseTower implements Tower {
    private final int[] widths;
    private final ModelConfig.Activation activation;
    private final int maxBatch;
    private final INDArray params;      // (P) flat: W[1], b[1], W[2], b[2], ...
    private final INDArray gradients;   // (P) flat, same layout
    private final INDArray[] weights;   // W[l] (in, out) views of params; index 1..L
    private final INDArray[] biases;    // b[l] (out)
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final INDArray[] biasGradRows;  // the same memory as (1, out), for the gemm that sums G's rows
    private final INDArray[] activations;  // A[l] (maxBatch, widths[l]); index 0..L
    private final INDArray[] activationGrads;
    private final INDArray[] masks;        // act'(Z[l]) scratch (maxBatch, widths[l]); index 1..L-1
    private final INDArray ones;           // (1, maxBatch): db = ones G as one gemm, cheaper than ND4J's row sum
    private final INDArray updaterState;
    private final GradientUpdater<?> updater;
    private final Map<Integer, INDArray[][]> rowViews = new HashMap<>();

    /**
     * @param layers   initial layers, widths[0] -> ... -> 1
     * @param maxBatch largest batch that will be passed
     * @param updater  ND4J's optimizer for the dense parameters (Adam, AdaGrad, Sgd...)
     */
    public DenseTower(List<DenseLayer> layers, int maxBatch, IUpdater updater) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a dense tower needs at least one layer");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch = " + maxBatch + " must be >= 1");
        }
        int nLayers = layers.size();
        this.widths = new int[nLayers + 1];
        widths[0] = layers.get(0).in();
        long total = 0;
        for (int l = 0; l < nLayers; l++) {
            DenseLayer layer = layers.get(l);
            if (layer.in() != widths[l]) {
                throw new IllegalArgumentException("layer " + l + " takes " + layer.in() + " inputs, previous gives " + widths[l]);
            }
            widths[l + 1] = layer.out();
            total += (long) layer.in() * layer.out() + layer.out();
        }
        if (widths[nLayers] != 1) {
            throw new IllegalArgumentException("the last layer must have 1 output, has " + widths[nLayers]);
        }
        this.activation = nLayers > 1 ? layers.get(0).activation() : ModelConfig.Activation.LINEAR;
        this.maxBatch = maxBatch;
        this.params = Nd4j.create(DataType.FLOAT, total);
        this.gradients = Nd4j.create(DataType.FLOAT, total);
        this.weights = new INDArray[nLayers + 1];
        this.biases = new INDArray[nLayers + 1];
        this.weightGrads = new INDArray[nLayers + 1];
        this.biasGrads = new INDArray[nLayers + 1];
        this.biasGradRows = new INDArray[nLayers + 1];
        long at = 0;
        for (int l = 1; l <= nLayers; l++) {
            int in = widths[l - 1];
            int out = widths[l];
            weights[l] = flatView(params, at, in, out);
            weightGrads[l] = flatView(gradients, at, in, out);
            at += (long) in * out;
            biases[l] = params.get(NDArrayIndex.interval(at, at + out));
            biasGrads[l] = gradients.get(NDArrayIndex.interval(at, at + out));
            biasGradRows[l] = flatView(gradients, at, 1, out);
            at += out;
        }
        this.activations = new INDArray[nLayers + 1];
        this.activationGrads = new INDArray[nLayers + 1];
        this.masks = new INDArray[nLayers + 1];
        for (int l = 0; l <= nLayers; l++) {
            activations[l] = Nd4j.create(DataType.FLOAT, maxBatch, widths[l]);
            activationGrads[l] = Nd4j.create(DataType.FLOAT, maxBatch, widths[l]);
            masks[l] = Nd4j.create(DataType.FLOAT, maxBatch, widths[l]);
        }
        this.ones = Nd4j.ones(DataType.FLOAT, 1, maxBatch);
        long stateSize = updater.stateSize(total);
        this.updaterState = stateSize > 0 ? Nd4j.create(DataType.FLOAT, 1, stateSize) : null;
        this.updater = updater.instantiate(updaterState, true);
        load(layers);
    }

    private static INDArray flatView(INDArray flat, long offset, int rows, int cols) {
        return flat.get(NDArrayIndex.interval(offset, offset + (long) rows * cols)).reshape('c', rows, cols);
    }

    /** Replaces the parameters with {@code layers}' (same shapes). */
    @Override
    public void load(List<DenseLayer> layers) {
        if (layers.size() != widths.length - 1) {
            throw new IllegalArgumentException("tower has " + (widths.length - 1) + " layers, got " + layers.size());
        }
        for (int l = 1; l < widths.length; l++) {
            DenseLayer layer = layers.get(l - 1);
            if (layer.in() != widths[l - 1] || layer.out() != widths[l]) {
                throw new IllegalArgumentException("layer " + (l - 1) + " is (" + layer.in() + ", " + layer.out()
                        + "), the tower has (" + widths[l - 1] + ", " + widths[l] + ")");
            }
            weights[l].assign(Nd4j.create(layer.weights(), new long[] {layer.in(), layer.out()}, DataType.FLOAT));
            biases[l].assign(Nd4j.create(layer.bias(), new long[] {layer.out()}, DataType.FLOAT));
        }
    }

    /** The current parameters on the host. */
    @Override
    public List<DenseLayer> layers() {
        List<DenseLayer> out = new ArrayList<>();
        for (int l = 1; l < widths.length; l++) {
            boolean last = l == widths.length - 1;
            out.add(new DenseLayer(widths[l - 1], widths[l], Nd4j.toFlattened('c', weights[l]).toFloatVector(),
                    biases[l].toFloatVector(), last ? ModelConfig.Activation.LINEAR : activation));
        }
        return out;
    }

    public int inputWidth() {
        return widths[0];
    }

    public int maxBatch() {
        return maxBatch;
    }

    private static INDArray firstRows(INDArray a, int rows) {
        return rows == a.rows() ? a : a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    /** [activations, gradients, masks, {ones}] row views for a batch of {@code rows}, made once per size. */
    private INDArray[][] views(int rows) {
        if (rows < 1 || rows > maxBatch) {
            throw new IllegalArgumentException("batch of " + rows + " rows is outside [1, " + maxBatch + "]");
        }
        return rowViews.computeIfAbsent(rows, b -> {
            INDArray[] a = new INDArray[widths.length];
            INDArray[] g = new INDArray[widths.length];
            INDArray[] m = new INDArray[widths.length];
            for (int l = 0; l < widths.length; l++) {
                a[l] = firstRows(activations[l], b);
                g[l] = firstRows(activationGrads[l], b);
                m[l] = firstRows(masks[l], b);
            }
            INDArray o = b == maxBatch ? ones : ones.get(NDArrayIndex.all(), NDArrayIndex.interval(0, b));
            return new INDArray[][] {a, g, m, {o}};
        });
    }

    /** X (rows, in): where the gather writes the batch's embedding rows. */
    @Override
    public INDArray input(int rows) {
        return views(rows)[0][0];
    }

    /** dL/dX (rows, in), valid after {@link #backward}. */
    @Override
    public INDArray inputGradient(int rows) {
        return views(rows)[1][0];
    }

    /** dL/dy (rows, 1): the engine writes the loss gradient here before {@link #backward}. */
    @Override
    public INDArray outputGradient(int rows) {
        return views(rows)[1][widths.length - 1];
    }

    /** y (rows, 1) from the current {@link #input}. */
    @Override
    public INDArray forward(int rows) {
        INDArray[] a = views(rows)[0];
        int last = widths.length - 1;
        for (int l = 1; l <= last; l++) {
            Nd4j.gemm(a[l - 1], weights[l], a[l], false, false, 1.0, 0.0);
            Nd4j.exec(new BiasAdd(a[l], biases[l], a[l], false));
            if (l < last) {
                activate(a[l]);
            }
        }
        return a[last];
    }

    private void activate(INDArray z) {
        switch (activation) {
            case RELU -> Transforms.relu(z, false);
            case TANH -> Transforms.tanh(z, false);
            case SIGMOID -> Transforms.sigmoid(z, false);
            case LINEAR -> { }
        }
    }

    /**
     * In place: g = dL/dA -> dL/dZ = g * act'(Z), from the layer's output a = act(Z).
     * ReLU as step(a) then a multiply: ND4J's fused relu_bp op measured 15x slower here.
     */
    private void activationBackward(INDArray a, INDArray g, INDArray mask) {
        switch (activation) {
            case RELU -> {
                Nd4j.exec(new Step(a, mask, 0.0));
                g.muli(mask);
            }
            case TANH -> g.muli(mask.assign(a).muli(a).rsubi(1.0));
            case SIGMOID -> g.muli(mask.assign(a).rsubi(1.0).muli(a));
            case LINEAR -> { }
        }
    }

    /**
     * Parameter gradients and dL/dX from {@link #outputGradient}; call after
     * {@link #forward} on the same batch. The first layer computes dL/dX before
     * its own dW and db, so {@code inputGradientReady} runs while they remain.
     */
    @Override
    public void backward(int rows, Runnable inputGradientReady) {
        INDArray[][] v = views(rows);
        INDArray[] a = v[0];
        INDArray[] g = v[1];
        INDArray[] m = v[2];
        INDArray ones = v[3][0];
        for (int l = widths.length - 1; l >= 1; l--) {
            if (l < widths.length - 1) {
                activationBackward(a[l], g[l], m[l]);
            }
            Nd4j.gemm(g[l], weights[l], g[l - 1], false, true, 1.0, 0.0);
            if (l == 1) {
                inputGradientReady.run();
            }
            Nd4j.gemm(a[l - 1], g[l], weightGrads[l], true, false, 1.0, 0.0);
            Nd4j.gemm(ones, g[l], biasGradRows[l], false, false, 1.0, 0.0);
        }
    }

    /** One optimizer step of the dense parameters with ND4J's updater; {@code iteration} counts from 0. */
    @Override
    public void update(int iteration, int epoch) {
        updater.applyUpdater(gradients, iteration, epoch);
        params.subi(gradients);
    }

    /** The updater's state (Adam's m and v...) as a flat host array, for checkpoints. */
    @Override
    public float[] updaterState() {
        return updaterState == null ? new float[0] : updaterState.toFloatVector();
    }

    @Override
    public void restoreUpdaterState(float[] state) {
        long expected = updaterState == null ? 0 : updaterState.length();
        if (state.length != expected) {
            throw new IllegalArgumentException("dense updater state has " + state.length + " values, needs " + expected);
        }
        if (updaterState != null) {
            updaterState.assign(Nd4j.create(state, new long[] {1, state.length}, DataType.FLOAT));
        }
    }

    @Override
    public void close() {
        params.close();
        gradients.close();
        for (INDArray a : activations) {
            a.close();
        }
        for (INDArray g : activationGrads) {
            g.close();
        }
        for (INDArray m : masks) {
            m.close();
        }
        ones.close();
        if (updaterState != null) {
            updaterState.close();
        }
        rowViews.clear();
    }

    /** ND4J's backend, BLAS and threads as ND4J reports them; loads ND4J (about a second). */
    public static Map<String, String> backendDescription() {
        Map<String, String> out = new LinkedHashMap<>();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        out.put("backend", Nd4j.getBackend().getClass().getSimpleName() + " (" + env.get("backend") + ")");
        out.put("blas", env.get("blas.vendor") + ", " + env.get("blas.threads") + " threads");
        out.put("omp threads", String.valueOf(env.get("omp.threads")));
        return out;
    }
}
