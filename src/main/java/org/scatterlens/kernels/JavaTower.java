package org.scatterlens.kernels;

import org.scatterlens.model.ModelConfig;

/**
 * The plain-Java reference of native/tower.h, loops over float arrays in the
 * most direct order: the oracle {@link NativeTower} is tested against, and the
 * dense half of the reference engine. Its dense optimizers repeat ND4J's
 * formulas (Adam with t = step, AdaGrad, SGD), so the reference engine also
 * checks the ND4J engine.
 */
public final class JavaTower implements TowerKernels {

    @Override
    public Tier tier() {
        return Tier.JAVA;
    }

    /**
     * Forward pass. Returns every layer's output, index 0 being x; y (n) gets the
     * last layer's output (or the dot product) plus the bias pair when not null.
     */
    public static float[][] forward(TowerShape shape, float[] params, float[] x, float[] biasPair, int n, float[] y) {
        int[] widths = shape.widths();
        float[][] acts = new float[widths.length][];
        acts[0] = x;
        if (shape.layers() == 0) {
            int width = widths[0];
            int d = width / 2;
            for (int b = 0; b < n; b++) {
                float dot = 0f;
                for (int k = 0; k < d; k++) {
                    dot += x[b * width + k] * x[b * width + d + k];
                }
                y[b] = dot;
            }
        } else {
            int at = 0;
            for (int l = 1; l < widths.length; l++) {
                int in = widths[l - 1];
                int out = widths[l];
                int w = at;
                int bias = at + in * out;
                at = bias + out;
                ModelConfig.Activation act = l < widths.length - 1 ? shape.activation() : ModelConfig.Activation.LINEAR;
                float[] a = new float[n * out];
                float[] prev = acts[l - 1];
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < out; j++) {
                        float sum = 0f;
                        for (int i = 0; i < in; i++) {
                            sum += prev[b * in + i] * params[w + i * out + j];
                        }
                        a[b * out + j] = act.apply(sum + params[bias + j]);
                    }
                }
                acts[l] = a;
            }
            System.arraycopy(acts[widths.length - 1], 0, y, 0, n);
        }
        if (biasPair != null) {
            for (int b = 0; b < n; b++) {
                y[b] += biasPair[2 * b] + biasPair[2 * b + 1];
            }
        }
        return acts;
    }

    /** The MSE loss: sums = {sum (y - t)^2, sum |y - t|}, dy = 2 (y - t) / n. */
    public static void loss(float[] y, float[] targets, int n, float[] dy, double[] sums) {
        double squared = 0;
        double absolute = 0;
        float scale = 2f / n;
        for (int k = 0; k < n; k++) {
            float e = y[k] - targets[k];
            squared += (double) e * e;
            absolute += Math.abs(e);
            dy[k] = e * scale;
        }
        sums[0] = squared;
        sums[1] = absolute;
    }

    /** Backward pass from dy: dx (n, widths[0]) and the parameter gradient (P), from the current params. */
    public static void backward(TowerShape shape, float[] params, float[][] acts, float[] dy, int n, float[] dx,
                                float[] gradient) {
        int[] widths = shape.widths();
        if (shape.layers() == 0) {
            int width = widths[0];
            int d = width / 2;
            float[] x = acts[0];
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < d; k++) {
                    dx[b * width + k] = x[b * width + d + k] * dy[b];
                    dx[b * width + d + k] = x[b * width + k] * dy[b];
                }
            }
            return;
        }
        int[] offsets = new int[widths.length];
        for (int l = 1; l < widths.length; l++) {
            offsets[l] = l == 1 ? 0 : offsets[l - 1] + widths[l - 2] * widths[l - 1] + widths[l - 1];
        }
        java.util.Arrays.fill(gradient, 0f);
        float[] g = dy;
        for (int l = widths.length - 1; l >= 1; l--) {
            int in = widths[l - 1];
            int out = widths[l];
            int w = offsets[l];
            int bias = w + in * out;
            ModelConfig.Activation act = l < widths.length - 1 ? shape.activation() : ModelConfig.Activation.LINEAR;
            float[] a = acts[l];
            float[] dz = new float[n * out];
            for (int k = 0; k < n * out; k++) {
                dz[k] = g[k] * act.derivativeFromOutput(a[k]);
            }
            float[] prev = acts[l - 1];
            float[] dprev = new float[n * in];
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < out; j++) {
                    float gj = dz[b * out + j];
                    gradient[bias + j] += gj;
                    for (int i = 0; i < in; i++) {
                        gradient[w + i * out + j] += prev[b * in + i] * gj;
                        dprev[b * in + i] += gj * params[w + i * out + j];
                    }
                }
            }
            g = dprev;
        }
        System.arraycopy(g, 0, dx, 0, n * widths[0]);
    }

    /** One optimizer step of params with ND4J's formulas; t counts from 1 (Adam's bias correction). */
    public static void step(SparseOptimizer.Kind kind, float lr, float beta1, float beta2, float eps, long t,
                            float[] params, float[] gradient, float[] state) {
        int p = params.length;
        double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        for (int k = 0; k < p; k++) {
            float g = gradient[k];
            float update = switch (kind) {
                case ADAM -> {
                    state[k] = beta1 * state[k] + (1 - beta1) * g;
                    state[p + k] = beta2 * state[p + k] + (1 - beta2) * g * g;
                    yield (float) (alpha * state[k] / (Math.sqrt(state[p + k]) + eps));
                }
                case ADAGRAD -> {
                    state[k] += g * g;
                    yield (float) (lr * g / (Math.sqrt(state[k]) + eps));
                }
                case SGD -> lr * g;
            };
            params[k] -= update;
        }
    }

    @Override
    public void train(TowerShape shape, NativeBuffer params, SparseOptimizer.Kind optimizer, float learningRate,
                      float beta1, float beta2, float epsilon, NativeBuffer optState, long step,
                      NativeBuffer x, NativeBuffer biasPair, NativeBuffer targets, int n,
                      NativeBuffer dx, NativeBuffer dy, double[] sums) {
        TowerKernels.checkTrain(shape, params, optimizer, optState, step, x, biasPair, targets, n, dx, dy, sums);
        sums[0] = 0;
        sums[1] = 0;
        if (n == 0) {
            return;
        }
        int width = shape.inputWidth();
        int p = shape.parameterCount();
        float[] w = read(params, p);
        float[] y = new float[n];
        float[][] acts = forward(shape, w, read(x, n * width), biasPair == null ? null : read(biasPair, 2 * n), n, y);
        float[] g = new float[n];
        loss(y, read(targets, n), n, g, sums);
        float[] gx = new float[n * width];
        float[] gradient = new float[p];
        backward(shape, w, acts, g, n, gx, gradient);
        if (p > 0) {
            int s = TowerKernels.stateSize(optimizer, p);
            float[] state = read(optState, s);
            step(optimizer, learningRate, beta1, beta2, epsilon, step, w, gradient, state);
            params.write(0, w, 0, p);
            if (s > 0) {
                optState.write(0, state, 0, s);
            }
        }
        dx.write(0, gx, 0, n * width);
        dy.write(0, g, 0, n);
    }

    @Override
    public void predict(TowerShape shape, NativeBuffer params, NativeBuffer x, NativeBuffer biasPair, int n,
                        NativeBuffer y) {
        TowerKernels.checkPredict(shape, params, x, biasPair, n, y);
        if (n == 0) {
            return;
        }
        float[] out = new float[n];
        forward(shape, read(params, shape.parameterCount()), read(x, n * shape.inputWidth()),
                biasPair == null ? null : read(biasPair, 2 * n), n, out);
        y.write(0, out, 0, n);
    }

    private static float[] read(NativeBuffer b, int floats) {
        float[] out = new float[floats];
        if (floats > 0) {
            b.read(0, out, 0, floats);
        }
        return out;
    }
}
