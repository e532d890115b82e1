package org.scatterlens.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The learnable part of a rating model, on the host: what an engine starts
 * from, and what it hands back for a checkpoint or the saved model.
 *
 * @param userTable (nUsers, userDim) row-major
 * @param itemTable (nItems, itemDim) row-major
 * @param userBias  (nUsers) or empty
 * @param itemBias  (nItems) or empty
 * @param layers    the tower's dense layers (empty for DOT)
 */
public record ModelParameters(float[] userTable, float[] itemTable, float[] userBias, float[] itemBias,
                              List<DenseLayer> layers) {

    public ModelParameters {
        layers = List.copyOf(layers);
    }

    /**
     * Keras's initialization, seeded: embeddings uniform(-0.05, 0.05) (or
     * glorot-uniform when the config says so), dense kernels glorot-uniform,
     * dense and per-row biases zero. Each part draws from its own stream, so
     * changing one size leaves the others' values alone.
     */
    public static ModelParameters initialize(ModelConfig config, int nUsers, int nItems, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom userRandom = root.split();
        SplittableRandom itemRandom = root.split();
        SplittableRandom denseRandom = root.split();
        float[] users = embedding(config.embeddingInit(), nUsers, config.userDim(), userRandom);
        float[] items = embedding(config.embeddingInit(), nItems, config.itemDim(), itemRandom);
        List<DenseLayer> layers = new ArrayList<>();
        int[] widths = config.layerWidths();
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            float[] w = uniform(in * out, Math.sqrt(6.0 / (in + out)), denseRandom);
            boolean last = l + 2 == widths.length;
            layers.add(new DenseLayer(in, out, w, new float[out], last ? ModelConfig.Activation.LINEAR : config.activation()));
        }
        return new ModelParameters(users, items,
                new float[config.userBias() ? nUsers : 0], new float[config.itemBias() ? nItems : 0], layers);
    }

    private static float[] embedding(ModelConfig.EmbeddingInit init, int rows, int dim, SplittableRandom random) {
        double limit = switch (init) {
            case UNIFORM -> 0.05;
            case GLOROT -> Math.sqrt(6.0 / (rows + dim));
        };
        return uniform(rows * dim, limit, random);
    }

    private static float[] uniform(int n, double limit, SplittableRandom random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return out;
    }

    /** A deep copy (engines hand out snapshots that must not change under the caller). */
    public ModelParameters copy() {
        List<DenseLayer> copied = new ArrayList<>();
        for (DenseLayer l : layers) {
            copied.add(new DenseLayer(l.in(), l.out(), l.weights().clone(), l.bias().clone(), l.activation()));
        }
        return new ModelParameters(userTable.clone(), itemTable.clone(), userBias.clone(), itemBias.clone(), copied);
    }
}
