package org.scatterlens.model;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a rating model. Defaults: the Keras "embedding layers"
 * tutorial's network. One validator, in the compact constructor, names every
 * bad field.
 *
 * @param architecture  TOWER: [user emb | movie emb] -> dense layers -> 1; DOT: matrix factorization u . v
 * @param userDim       user embedding width, >= 1
 * @param itemDim       movie embedding width, >= 1 (DOT: equal to userDim)
 * @param hidden        TOWER hidden layer widths, e.g. [32, 4]; may be empty; DOT: must be empty
 * @param activation    hidden layers' activation (the output layer is linear)
 * @param userBias      add a learned per-user bias to the prediction
 * @param itemBias      add a learned per-movie bias to the prediction
 * @param embeddingInit how embeddings start (dense layers: glorot-uniform, biases zero, as Keras)
 * @param l2User        L2 on touched user rows (gradient + 2 l2 w), >= 0
 * @param l2Item        L2 on touched movie rows, >= 0
 */
public record ModelConfig(Architecture architecture, int userDim, int itemDim, List<Integer> hidden,
                          Activation activation, boolean userBias, boolean itemBias, EmbeddingInit embeddingInit,
                          float l2User, float l2Item) {

    public enum Architecture {
        TOWER, DOT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Activation {
        RELU, TANH, SIGMOID, LINEAR;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public float apply(float x) {
            return switch (this) {
                case RELU -> x > 0f ? x : 0f;
                case TANH -> (float) Math.tanh(x);
                case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
                case LINEAR -> x;
            };
        }

        /** d activation / d x, from the activation's output y. */
        public float derivativeFromOutput(float y) {
            return switch (this) {
                case RELU -> y > 0f ? 1f : 0f;
                case TANH -> 1f - y * y;
                case SIGMOID -> y * (1f - y);
                case LINEAR -> 1f;
            };
        }
    }

    public enum EmbeddingInit {
        /** Keras's Embedding default: uniform(-0.05, 0.05). */
        UNIFORM,
        /** glorot-uniform over the (rows, dim) table. */
        GLOROT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ModelConfig {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is null (allowed: tower, dot)");
        }
        if (userDim < 1) {
            throw new IllegalArgumentException("userDim = " + userDim + " must be >= 1");
        }
        if (itemDim < 1) {
            throw new IllegalArgumentException("itemDim = " + itemDim + " must be >= 1");
        }
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) < 1) {
                throw new IllegalArgumentException("hidden[" + i + "] = " + hidden.get(i) + " must be >= 1");
            }
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is null (allowed: relu, tanh, sigmoid, linear)");
        }
        if (embeddingInit == null) {
            throw new IllegalArgumentException("embeddingInit is null (allowed: uniform, glorot)");
        }
        if (architecture == Architecture.DOT) {
            if (userDim != itemDim) {
                throw new IllegalArgumentException("architecture dot needs userDim == itemDim, got " + userDim + " and " + itemDim);
            }
            if (!hidden.isEmpty()) {
                throw new IllegalArgumentException("architecture dot has no hidden layers, got " + hidden);
            }
        }
        if (!(l2User >= 0f) || Float.isInfinite(l2User)) {
            throw new IllegalArgumentException("l2User = " + l2User + " must be finite and >= 0");
        }
        if (!(l2Item >= 0f) || Float.isInfinite(l2Item)) {
            throw new IllegalArgumentException("l2Item = " + l2Item + " must be finite and >= 0");
        }
    }

    /** The tutorial's model: 8 + 8 embeddings, Dense 32 relu, Dense 4 relu, Dense 1 linear, no biases. */
    public static ModelConfig tutorial() {
        return new ModelConfig(Architecture.TOWER, 8, 8, List.of(32, 4), Activation.RELU, false, false,
                EmbeddingInit.UNIFORM, 0f, 0f);
    }

    /** The tutorial's matrix factorization: dot product of two {@code dim}-wide embeddings plus biases. */
    public static ModelConfig matrixFactorization(int dim) {
        return new ModelConfig(Architecture.DOT, dim, dim, List.of(), Activation.LINEAR, true, true,
                EmbeddingInit.UNIFORM, 0f, 0f);
    }

    /** Layer widths of the tower from input to output: [userDim + itemDim, hidden..., 1]; DOT: empty. */
    public int[] layerWidths() {
        if (architecture == Architecture.DOT) {
            return new int[0];
        }
        int[] widths = new int[hidden.size() + 2];
        widths[0] = userDim + itemDim;
        for (int i = 0; i < hidden.size(); i++) {
            widths[i + 1] = hidden.get(i);
        }
        widths[widths.length - 1] = 1;
        return widths;
    }

    public ModelConfig withDims(int user, int item) {
        return new ModelConfig(architecture, user, item, hidden, activation, userBias, itemBias, embeddingInit, l2User, l2Item);
    }

    public ModelConfig withHidden(List<Integer> value) {
        return new ModelConfig(architecture, userDim, itemDim, value, activation, userBias, itemBias, embeddingInit, l2User, l2Item);
    }

    public ModelConfig withActivation(Activation value) {
        return new ModelConfig(architecture, userDim, itemDim, hidden, value, userBias, itemBias, embeddingInit, l2User, l2Item);
    }

    public ModelConfig withBiases(boolean user, boolean item) {
        return new ModelConfig(architecture, userDim, itemDim, hidden, activation, user, item, embeddingInit, l2User, l2Item);
    }

    public ModelConfig withEmbeddingInit(EmbeddingInit value) {
        return new ModelConfig(architecture, userDim, itemDim, hidden, activation, userBias, itemBias, value, l2User, l2Item);
    }

    public ModelConfig withL2(float user, float item) {
        return new ModelConfig(architecture, userDim, itemDim, hidden, activation, userBias, itemBias, embeddingInit, user, item);
    }
}
