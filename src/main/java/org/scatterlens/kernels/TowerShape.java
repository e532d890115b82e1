package org.scatterlens.kernels;

import java.util.Arrays;

import org.scatterlens.model.ModelConfig;

/**
 * The shape of the dense half that {@link TowerKernels} run (native/tower.h):
 * layer widths from the gathered input to the single output, and the hidden
 * layers' activation. One width and no layers is matrix factorization: the dot
 * product of the input's two halves.
 *
 * @param widths     widths[0] = du + di; widths[last] = 1 when there are layers
 * @param activation of the hidden layers; the last layer is linear
 */
public record TowerShape(int[] widths, ModelConfig.Activation activation) {
    public TowerShape {
        if (widths == null || widths.length == 0) {
            throw new IllegalArgumentException("a tower shape needs at least the input width");
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is null (allowed: relu, tanh, sigmoid, linear)");
        }
        widths = widths.clone();
        for (int l = 0; l < widths.length; l++) {
            if (widths[l] < 1 || widths[l] > 4096) {
                throw new IllegalArgumentException("widths[" + l + "] = " + widths[l] + " must be in [1, 4096]");
            }
        }
        if (widths.length == 1 && widths[0] % 2 != 0) {
            throw new IllegalArgumentException("a dot-product model needs an even input width, got " + widths[0]);
        }
        if (widths.length > 1 && widths[widths.length - 1] != 1) {
            throw new IllegalArgumentException("the last layer must have 1 output, has " + widths[widths.length - 1]);
        }
    }

    /** The tower of {@code config}: its layer widths, or the dot product for matrix factorization. */
    public static TowerShape of(ModelConfig config) {
        int[] widths = config.architecture() == ModelConfig.Architecture.DOT
                ? new int[] {config.userDim() + config.itemDim()}
                : config.layerWidths();
        return new TowerShape(widths, config.activation());
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    public int layers() {
        return widths.length - 1;
    }

    public int inputWidth() {
        return widths[0];
    }

    public int width(int layer) {
        return widths[layer];
    }

    /** Parameters W[1], b[1], W[2], b[2]... in ND4J's flat order. */
    public int parameterCount() {
        int total = 0;
        for (int l = 1; l < widths.length; l++) {
            total += widths[l - 1] * widths[l] + widths[l];
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TowerShape t && Arrays.equals(widths, t.widths) && activation == t.activation;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(widths) + activation.hashCode();
    }

    @Override
    public String toString() {
        return "TowerShape" + Arrays.toString(widths) + " " + activation.id();
    }
}
