package org.scatterlens.model;

import java.util.Objects;

/**
 * One dense layer's parameters on the host: y = act(x W + b).
 *
 * @param in         input width
 * @param out        output width
 * @param weights    W, (in, out) row-major: weights[i * out + j]
 * @param bias       b, (out)
 * @param activation applied to x W + b
 */
public record DenseLayer(int in, int out, float[] weights, float[] bias, ModelConfig.Activation activation) {
    public DenseLayer {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(activation, "activation");
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense layer shape (" + in + ", " + out + ") must be positive");
        }
        if (weights.length != in * out) {
            throw new IllegalArgumentException("dense layer (" + in + ", " + out + ") has " + weights.length
                    + " weights, needs " + in * out);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("dense layer (" + in + ", " + out + ") has " + bias.length
                    + " biases, needs " + out);
        }
    }

    /** y = act(x W + b) for one input row. */
    public void forward(float[] x, float[] y) {
        for (int j = 0; j < out; j++) {
            float sum = bias[j];
            for (int i = 0; i < in; i++) {
                sum += x[i] * weights[i * out + j];
            }
            y[j] = activation.apply(sum);
        }
    }
}
