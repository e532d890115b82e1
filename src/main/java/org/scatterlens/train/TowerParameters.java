package org.scatterlens.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.TowerShape;
import org.scatterlens.model.DenseLayer;
import org.scatterlens.model.ModelConfig;

/**
 * The tower's parameters and dense optimizer state as flat arrays in ND4J's
 * order (W[1], b[1], W[2], b[2]...; AdaGrad h, or Adam m then v), the layout
 * the engines without ND4J keep them in and checkpoints carry for every engine.
 */
final class TowerParameters {
    private TowerParameters() {}

    /** Writes {@code layers} into {@code out} (shape.parameterCount() floats). */
    static void flatten(List<DenseLayer> layers, TowerShape shape, float[] out) {
        if (layers.size() != shape.layers()) {
            throw new IllegalArgumentException("the tower has " + shape.layers() + " layers, got " + layers.size());
        }
        int at = 0;
        for (int l = 1; l <= shape.layers(); l++) {
            DenseLayer layer = layers.get(l - 1);
            if (layer.in() != shape.width(l - 1) || layer.out() != shape.width(l)) {
                throw new IllegalArgumentException("layer " + (l - 1) + " is (" + layer.in() + ", " + layer.out()
                        + "), the tower has (" + shape.width(l - 1) + ", " + shape.width(l) + ")");
            }
            System.arraycopy(layer.weights(), 0, out, at, layer.weights().length);
            at += layer.weights().length;
            System.arraycopy(layer.bias(), 0, out, at, layer.bias().length);
            at += layer.bias().length;
        }
    }

    /** The layers of flat {@code params}; hidden layers take the shape's activation, the last is linear. */
    static List<DenseLayer> layers(TowerShape shape, float[] params) {
        List<DenseLayer> out = new ArrayList<>();
        int at = 0;
        for (int l = 1; l <= shape.layers(); l++) {
            int in = shape.width(l - 1);
            int width = shape.width(l);
            float[] w = Arrays.copyOfRange(params, at, at + in * width);
            at += in * width;
            float[] b = Arrays.copyOfRange(params, at, at + width);
            at += width;
            out.add(new DenseLayer(in, width, w, b,
                    l < shape.layers() ? shape.activation() : ModelConfig.Activation.LINEAR));
        }
        return out;
    }

    /** Fresh optimizer state; ND4J's AdaGrad starts its sums at epsilon, not zero. */
    static void resetState(DenseOptimizer dense, float[] state) {
        Arrays.fill(state, dense.kind() == SparseOptimizer.Kind.ADAGRAD ? dense.epsilon() : 0f);
    }

    /** Copies a checkpoint's dense state into {@code into}; a wrong size is an error, never a partial copy. */
    static void restoreState(float[] from, float[] into) {
        if (from.length != into.length) {
            throw new IllegalArgumentException("dense optimizer state has " + from.length + " values, needs " + into.length);
        }
        System.arraycopy(from, 0, into, 0, into.length);
    }
}
