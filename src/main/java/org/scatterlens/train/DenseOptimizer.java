package org.scatterlens.train;

import org.scatterlens.kernels.SparseOptimizer;

/**
 * The optimizer of the dense tower's parameters; ND4J's own updaters run it
 * (Adam, AdaGrad, Sgd with ND4J's formulas).
 *
 * @param kind         adam, adagrad or sgd
 * @param learningRate > 0
 * @param beta1        Adam, [0, 1)
 * @param beta2        Adam, [0, 1)
 * @param epsilon      Adam and AdaGrad, > 0 (ND4J's defaults: 1e-8 and 1e-6)
 */
public record DenseOptimizer(SparseOptimizer.Kind kind, float learningRate, float beta1, float beta2, float epsilon) {
    public static final float ADAM_EPSILON = 1e-8f;
    public static final float ADAGRAD_EPSILON = 1e-6f;

    public DenseOptimizer {
        if (kind == null) {
            throw new IllegalArgumentException("dense optimizer kind is null (allowed: adam, adagrad, sgd)");
        }
        if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("dense learningRate = " + learningRate + " must be finite and > 0");
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("dense betas (" + beta1 + ", " + beta2 + ") must be in [0, 1)");
        }
        if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("dense epsilon = " + epsilon + " must be finite and > 0");
        }
    }

    public static DenseOptimizer of(SparseOptimizer.Kind kind, float learningRate) {
        return new DenseOptimizer(kind, learningRate, 0.9f, 0.999f,
                kind == SparseOptimizer.Kind.ADAGRAD ? ADAGRAD_EPSILON : ADAM_EPSILON);
    }
}
