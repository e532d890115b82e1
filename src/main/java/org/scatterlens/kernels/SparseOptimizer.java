package org.scatterlens.kernels;

import java.util.Locale;

/**
 * How the embedding rows a batch touches are stepped. Exact formulas:
 * docs/kernels.md and native/scatterlens.h.
 *
 * @param kind         sgd, adagrad or adam (lazy: only touched rows' state moves)
 * @param learningRate > 0
 * @param l2           >= 0; each touched row's gradient gets + 2 * l2 * w (Keras's l2(l2))
 * @param beta1        Adam, in [0, 1)
 * @param beta2        Adam, in [0, 1)
 * @param epsilon      Adam and Adagrad, > 0
 * @param adamSteps    which step count Adam's bias correction uses
 */
public record SparseOptimizer(Kind kind, float learningRate, float l2, float beta1, float beta2, float epsilon,
                              AdamSteps adamSteps) {

    public enum Kind {
        SGD, ADAGRAD, ADAM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** PyTorch's defaults: Adam eps 1e-8, Adagrad eps 1e-10. */
    public static final float ADAM_EPSILON = 1e-8f;
    public static final float ADAGRAD_EPSILON = 1e-10f;

    public SparseOptimizer {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind is null (allowed: sgd, adagrad, adam)");
        }
        if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate = " + learningRate + " must be finite and > 0");
        }
        if (!(l2 >= 0f) || Float.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 = " + l2 + " must be finite and >= 0");
        }
        if (!(beta1 >= 0f && beta1 < 1f)) {
            throw new IllegalArgumentException("beta1 = " + beta1 + " must be in [0, 1)");
        }
        if (!(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("beta2 = " + beta2 + " must be in [0, 1)");
        }
        if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + " must be finite and > 0");
        }
        if (adamSteps == null) {
            throw new IllegalArgumentException("adamSteps is null (allowed: PER_ROW, GLOBAL)");
        }
    }

    public static SparseOptimizer sgd(float learningRate) {
        return new SparseOptimizer(Kind.SGD, learningRate, 0f, 0.9f, 0.999f, ADAM_EPSILON, AdamSteps.PER_ROW);
    }

    public static SparseOptimizer adagrad(float learningRate) {
        return new SparseOptimizer(Kind.ADAGRAD, learningRate, 0f, 0.9f, 0.999f, ADAGRAD_EPSILON, AdamSteps.PER_ROW);
    }

    public static SparseOptimizer adam(float learningRate) {
        return new SparseOptimizer(Kind.ADAM, learningRate, 0f, 0.9f, 0.999f, ADAM_EPSILON, AdamSteps.PER_ROW);
    }

    public static SparseOptimizer of(Kind kind, float learningRate) {
        return switch (kind) {
            case SGD -> sgd(learningRate);
            case ADAGRAD -> adagrad(learningRate);
            case ADAM -> adam(learningRate);
        };
    }

    public SparseOptimizer withL2(float value) {
        return new SparseOptimizer(kind, learningRate, value, beta1, beta2, epsilon, adamSteps);
    }

    public SparseOptimizer withLearningRate(float value) {
        return new SparseOptimizer(kind, value, l2, beta1, beta2, epsilon, adamSteps);
    }

    public SparseOptimizer withAdamSteps(AdamSteps value) {
        return new SparseOptimizer(kind, learningRate, l2, beta1, beta2, epsilon, value);
    }

    /** Float slots of optimizer state per table element: 0 (sgd), 1 (adagrad), 2 (adam). */
    public int slots() {
        return switch (kind) {
            case SGD -> 0;
            case ADAGRAD -> 1;
            case ADAM -> 2;
        };
    }
}
