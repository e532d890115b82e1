package org.scatterlens.train;

import java.util.ArrayList;
import java.util.List;

import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.model.DenseLayer;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;

/**
 * The plain-Java trainer: the same step as {@link Nd4jEngine} written with
 * loops over float arrays, and dense optimizers that repeat ND4J's formulas.
 * The oracle the ND4J engine is tested against; no ND4J class is loaded.
 */
public final class ReferenceEngine implements Engine {
    private final ModelConfig config;
    private final SparseTables tables;
    private final DenseOptimizer dense;
    private final int width;
    private final List<float[]> weights = new ArrayList<>();   // W[l] (in, out)
    private final List<float[]> biases = new ArrayList<>();
    private final List<float[]> moments = new ArrayList<>();   // per parameter array: Adam m / AdaGrad sum
    private final List<float[]> velocities = new ArrayList<>(); // per parameter array: Adam v
    private final int[] widths;
    private final List<ModelConfig.Activation> activations = new ArrayList<>();
    private final NativeBuffer inputBuffer;     // X (maxBatch, width)
    private final NativeBuffer gradientBuffer;  // dX (maxBatch, width)
    private final NativeBuffer outputGradient;  // dy (maxBatch)
    private final NativeBuffer biasBuffer;      // (maxBatch, 2)
    private long denseSteps;

    public ReferenceEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                           SparseKernels kernels, DenseOptimizer dense, SparseOptimizer sparse) {
        if (!kernels.tier().hostMemory()) {
            throw new IllegalArgumentException("the reference engine needs host kernels, not " + kernels.tier().id());
        }
        this.config = config;
        this.dense = dense;
        this.width = config.userDim() + config.itemDim();
        this.widths = config.layerWidths();
        this.tables = new SparseTables(kernels, config, init, nUsers, nItems, sparse, maxBatch);
        this.inputBuffer = kernels.allocate((long) maxBatch * width * 4);
        this.gradientBuffer = kernels.allocate((long) maxBatch * width * 4);
        this.outputGradient = kernels.allocate(maxBatch * 4L);
        this.biasBuffer = kernels.allocate(maxBatch * 2L * 4);
        loadLayers(init.layers());
        resetDenseState();
    }

    /** Fresh optimizer state; ND4J's AdaGrad starts its sums at epsilon, not zero. */
    private void resetDenseState() {
        moments.clear();
        velocities.clear();
        for (float[] p : parameterArrays()) {
            float[] m = new float[p.length];
            if (dense.kind() == SparseOptimizer.Kind.ADAGRAD) {
                java.util.Arrays.fill(m, dense.epsilon());
            }
            moments.add(m);
            velocities.add(new float[p.length]);
        }
    }

    private void loadLayers(List<DenseLayer> layers) {
        weights.clear();
        biases.clear();
        activations.clear();
        for (DenseLayer l : layers) {
            weights.add(l.weights().clone());
            biases.add(l.bias().clone());
            activations.add(l.activation());
        }
    }

    /** W[1], b[1], W[2], b[2]...: the order of ND4J's flat parameter vector. */
    private List<float[]> parameterArrays() {
        List<float[]> out = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            out.add(weights.get(l));
            out.add(biases.get(l));
        }
        return out;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String kernels() {
        return tables.kernels().tier().id();
    }

    /** Per-layer activations for the loaded batch; acts[0] is X. */
    private float[][] forward(int n, float[] y) {
        float[] x = new float[n * width];
        tables.gather(inputBuffer);
        inputBuffer.read(0, x, 0, n * width);
        float[][] acts = new float[Math.max(widths.length, 1)][];
        acts[0] = x;
        if (config.architecture() == ModelConfig.Architecture.DOT) {
            int d = config.userDim();
            for (int b = 0; b < n; b++) {
                float dot = 0f;
                for (int k = 0; k < d; k++) {
                    dot += x[b * width + k] * x[b * width + d + k];
                }
                y[b] = dot;
            }
        } else {
            for (int l = 1; l < widths.length; l++) {
                int in = widths[l - 1];
                int out = widths[l];
                float[] w = weights.get(l - 1);
                float[] bias = biases.get(l - 1);
                ModelConfig.Activation act = activations.get(l - 1);
                float[] a = new float[n * out];
                float[] prev = acts[l - 1];
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < out; j++) {
                        float sum = 0f;
                        for (int i = 0; i < in; i++) {
                            sum += prev[b * in + i] * w[i * out + j];
                        }
                        a[b * out + j] = act.apply(sum + bias[j]);
                    }
                }
                acts[l] = a;
            }
            System.arraycopy(acts[widths.length - 1], 0, y, 0, n);
        }
        if (tables.hasBiases()) {
            float[] pair = new float[2 * n];
            tables.gatherBiases(biasBuffer);
            biasBuffer.read(0, pair, 0, 2 * n);
            for (int b = 0; b < n; b++) {
                y[b] += pair[2 * b] + pair[2 * b + 1];
            }
        }
        return acts;
    }

    @Override
    public void train(Batch batch, ErrorStats stats) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        tables.load(batch);
        float[] y = new float[n];
        float[][] acts = forward(n, y);
        float[] dy = new float[n];
        stats.addMseLoss(y, batch.targets, n, dy);

        float[] dx = new float[n * width];
        List<float[]> grads = new ArrayList<>();
        if (config.architecture() == ModelConfig.Architecture.DOT) {
            int d = config.userDim();
            float[] x = acts[0];
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < d; k++) {
                    dx[b * width + k] = x[b * width + d + k] * dy[b];
                    dx[b * width + d + k] = x[b * width + k] * dy[b];
                }
            }
        } else {
            float[] g = dy;
            float[][] layerGrads = new float[2 * (widths.length - 1)][];
            for (int l = widths.length - 1; l >= 1; l--) {
                int in = widths[l - 1];
                int out = widths[l];
                float[] a = acts[l];
                ModelConfig.Activation act = activations.get(l - 1);
                float[] dz = new float[n * out];
                for (int k = 0; k < n * out; k++) {
                    dz[k] = g[k] * act.derivativeFromOutput(a[k]);
                }
                float[] prev = acts[l - 1];
                float[] dw = new float[in * out];
                float[] db = new float[out];
                float[] dprev = new float[n * in];
                float[] w = weights.get(l - 1);
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < out; j++) {
                        float gj = dz[b * out + j];
                        db[j] += gj;
                        for (int i = 0; i < in; i++) {
                            dw[i * out + j] += prev[b * in + i] * gj;
                            dprev[b * in + i] += gj * w[i * out + j];
                        }
                    }
                }
                layerGrads[2 * (l - 1)] = dw;
                layerGrads[2 * (l - 1) + 1] = db;
                g = dprev;
            }
            System.arraycopy(g, 0, dx, 0, n * width);
            grads.addAll(List.of(layerGrads));
        }
        gradientBuffer.write(0, dx, 0, n * width);
        tables.updateEmbeddings(gradientBuffer);
        if (tables.hasBiases()) {
            outputGradient.write(0, dy, 0, n);
            tables.updateBiases(outputGradient);
        }
        if (!grads.isEmpty()) {
            stepDense(grads);
        }
        denseSteps++;
    }

    /** ND4J's updaters, element by element: Adam (iteration + 1 as t), AdaGrad, SGD. */
    private void stepDense(List<float[]> grads) {
        List<float[]> params = parameterArrays();
        long t = denseSteps + 1;
        double alpha = dense.learningRate() * Math.sqrt(1 - Math.pow(dense.beta2(), t)) / (1 - Math.pow(dense.beta1(), t));
        for (int p = 0; p < params.size(); p++) {
            float[] w = params.get(p);
            float[] g = grads.get(p);
            float[] m = moments.get(p);
            float[] v = velocities.get(p);
            for (int k = 0; k < w.length; k++) {
                float update = switch (dense.kind()) {
                    case ADAM -> {
                        m[k] = dense.beta1() * m[k] + (1 - dense.beta1()) * g[k];
                        v[k] = dense.beta2() * v[k] + (1 - dense.beta2()) * g[k] * g[k];
                        yield (float) (alpha * m[k] / (Math.sqrt(v[k]) + dense.epsilon()));
                    }
                    case ADAGRAD -> {
                        m[k] += g[k] * g[k];
                        yield (float) (dense.learningRate() * g[k] / (Math.sqrt(m[k]) + dense.epsilon()));
                    }
                    case SGD -> dense.learningRate() * g[k];
                };
                w[k] -= update;
            }
        }
    }

    @Override
    public void predict(Batch batch, float[] out) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        tables.load(batch);
        forward(n, out);
    }

    @Override
    public ModelParameters parameters() {
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 1; l < widths.length; l++) {
            layers.add(new DenseLayer(widths[l - 1], widths[l], weights.get(l - 1).clone(), biases.get(l - 1).clone(),
                    activations.get(l - 1)));
        }
        return new ModelParameters(tables.userTable(), tables.itemTable(), tables.userBiases(), tables.itemBiases(), layers);
    }

    /** The dense optimizer's state arrays in ND4J's flat order: all first moments, then (Adam) all second. */
    private List<float[]> denseStateParts() {
        List<float[]> parts = new ArrayList<>();
        if (dense.kind() != SparseOptimizer.Kind.SGD) {
            parts.addAll(moments);
        }
        if (dense.kind() == SparseOptimizer.Kind.ADAM) {
            parts.addAll(velocities);
        }
        return parts;
    }

    @Override
    public EngineState saveState() {
        List<float[]> parts = denseStateParts();
        float[] flat = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, flat, at, p.length);
            at += p.length;
        }
        return new EngineState(parameters(), tables.saveState(), flat, denseSteps);
    }

    @Override
    public void restoreState(EngineState state) {
        tables.restore(state.parameters(), state.sparse());
        loadLayers(state.parameters().layers());
        resetDenseState();
        List<float[]> parts = denseStateParts();
        float[] flat = state.denseState();
        int expected = parts.stream().mapToInt(p -> p.length).sum();
        if (flat.length != expected) {
            throw new IllegalArgumentException("dense optimizer state has " + flat.length + " values, needs " + expected);
        }
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(flat, at, p, 0, p.length);
            at += p.length;
        }
        denseSteps = state.denseSteps();
    }

    @Override
    public void close() {
        tables.close();
        inputBuffer.close();
        gradientBuffer.close();
        outputGradient.close();
        biasBuffer.close();
    }
}
