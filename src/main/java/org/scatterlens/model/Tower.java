package org.scatterlens.model;

import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The dense layers of a TOWER model on ND4J, driven from outside by the ND4J
 * engine: it writes X into {@link #input}, calls {@link #forward}, writes
 * dL/dy into {@link #outputGradient}, calls {@link #backward}, reads dL/dX from
 * {@link #inputGradient} for the sparse update, then {@link #update}.
 * ND4J types stay between this interface, its two implementations and the
 * ND4J engine (DESIGN.md).
 */
public interface Tower extends AutoCloseable {

    /** The two ways to run the layers: raw ND4J ops, or a DL4J MultiLayerNetwork fed external errors. */
    enum Kind {
        OPS, DL4J;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Tower create(Kind kind, List<DenseLayer> layers, int maxBatch, IUpdater updater) {
        return switch (kind) {
            case OPS -> new DenseTower(layers, maxBatch, updater);
            case DL4J -> new Dl4jTower(layers, maxBatch, updater);
        };
    }

    /** X (rows, in): where the gather writes the batch's embedding rows. */
    INDArray input(int rows);

    /** dL/dy (rows, 1): written by the engine before {@link #backward}. */
    INDArray outputGradient(int rows);

    /** y (rows, 1) from the current {@link #input}. */
    INDArray forward(int rows);

    /** Parameter gradients and dL/dX; call after {@link #forward} on the same rows. */
    default void backward(int rows) {
        backward(rows, () -> { });
    }

    /**
     * As {@link #backward(int)}, calling {@code inputGradientReady} as soon as
     * dL/dX is final, before the remaining parameter gradients: the engine
     * starts the sparse updates there, beside the rest of the backward pass.
     */
    void backward(int rows, Runnable inputGradientReady);

    /** dL/dX (rows, in), c order, valid after {@link #backward}. */
    INDArray inputGradient(int rows);

    /** One step of ND4J's updater; {@code iteration} counts from 0. */
    void update(int iteration, int epoch);

    List<DenseLayer> layers();

    void load(List<DenseLayer> layers);

    float[] updaterState();

    void restoreUpdaterState(float[] state);

    @Override
    void close();
}
