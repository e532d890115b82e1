package org.scatterlens.train;

import org.scatterlens.model.ModelParameters;

/**
 * One way to run the training step. Order of use: construct from initial
 * {@link ModelParameters}; per batch {@link #train}; {@link #predict} for
 * validation; {@link #parameters} / {@link #saveState} for the model and
 * checkpoints; {@link #close}.
 *
 * <p>The step, for every engine: gather the batch's embedding rows, forward,
 * MSE loss on the centered target, backward, sparse update of the touched
 * rows, dense update.
 */
public interface Engine extends AutoCloseable {

    /** "nd4j" or "reference". */
    String name();

    /** The kernel tier its sparse verbs run on. */
    String kernels();

    /**
     * One training step on {@code batch}; adds the batch's errors before the
     * update to {@code stats}.
     */
    void train(Batch batch, ErrorStats stats);

    /** Centered predictions (add the training mean for ratings) for {@code batch} into {@code out[0, size)}. */
    void predict(Batch batch, float[] out);

    /** A host copy of the current parameters. */
    ModelParameters parameters();

    /** Everything needed to continue bit-identically: parameters and optimizer states. */
    EngineState saveState();

    void restoreState(EngineState state);

    @Override
    void close();
}
