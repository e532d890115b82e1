package org.scatterlens.train;

import java.util.List;

import org.scatterlens.model.ModelParameters;

/**
 * An engine's full state on the host, for checkpoints.
 *
 * @param parameters  tables, biases and dense layers
 * @param sparse      optimizer state of each sparse table, in the order user, item, user bias, item bias
 *                    (the bias entries only when the model has biases)
 * @param denseState  the dense updater's flat state (empty for SGD or DOT models)
 * @param denseSteps  dense updates so far
 */
public record EngineState(ModelParameters parameters, List<TableState> sparse, float[] denseState, long denseSteps) {

    /**
     * @param slots    optimizer slots, each (rows * dim)
     * @param rowSteps Adam's per-row update counts (rows), or empty
     * @param steps    update calls so far
     */
    public record TableState(float[][] slots, int[] rowSteps, long steps) {}

    public EngineState {
        sparse = List.copyOf(sparse);
    }
}
