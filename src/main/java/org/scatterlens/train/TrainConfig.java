package org.scatterlens.train;

import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.Tower;

/**
 * How to train. Defaults ({@link #defaults()}): the Keras tutorial's run —
 * the tutorial model, Adam lr 0.005 on everything, batch 5000.
 *
 * @param model         the network
 * @param epochs        >= 1
 * @param batchSize     >= 1
 * @param seed          initial weights and the shuffle of every epoch
 * @param dense         optimizer of the tower's weights (ND4J's updaters in the nd4j engine, their formulas in
 *                      native code in the fused one)
 * @param sparse        optimizer of the embedding and bias rows (native kernels); L2 comes from {@code model}
 * @param engine        fused (the default: the whole step in native code, no ND4J), nd4j (dense layers in ND4J),
 *                      or reference (plain Java, slow; the oracle)
 * @param tower         nd4j engine's dense layers: raw ND4J ops or a DL4J network
 * @param threads       0: chosen for the engine and machine (fused: min(2, cores); nd4j: 2 on machines with more
 *                      than 2 cores, else 1). 1 runs the step on one thread. 2 or more, fused: each batch's
 *                      user-table update on a helper thread beside the next batch's step (bit-identical); nd4j:
 *                      the sparse updates on a helper thread beside the rest of the backward pass. ND4J, its BLAS
 *                      and the kernels' OpenMP keep one thread (docs/architecture.md says why)
 * @param earlyStopping when to stop before {@code epochs}
 */
public record TrainConfig(ModelConfig model, int epochs, int batchSize, long seed, DenseOptimizer dense,
                          SparseOptimizer sparse, EngineKind engine, Tower.Kind tower, int threads,
                          EarlyStopping earlyStopping) {

    public enum EngineKind {
        FUSED, ND4J, REFERENCE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Monitor {
        VAL_LOSS, VAL_MAE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        double of(EpochMetrics m) {
            return this == VAL_LOSS ? m.valLoss() : m.valMae();
        }
    }

    /**
     * @param monitor      validation metric to watch (lower is better)
     * @param patience     epochs without improvement before stopping; 0: never stop early
     * @param restoreBest  end with the best epoch's weights, not the last's
     * @param minDelta     smallest decrease that counts as an improvement
     */
    public record EarlyStopping(Monitor monitor, int patience, boolean restoreBest, double minDelta) {
        public EarlyStopping {
            if (monitor == null) {
                throw new IllegalArgumentException("early-stopping monitor is null (allowed: val_loss, val_mae)");
            }
            if (patience < 0) {
                throw new IllegalArgumentException("patience = " + patience + " must be >= 0");
            }
            if (!(minDelta >= 0)) {
                throw new IllegalArgumentException("minDelta = " + minDelta + " must be >= 0");
            }
        }

        public static EarlyStopping off() {
            return new EarlyStopping(Monitor.VAL_LOSS, 0, false, 0);
        }
    }

    public TrainConfig {
        if (model == null) {
            throw new IllegalArgumentException("model config is null");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs = " + epochs + " must be >= 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        }
        if (dense == null || sparse == null) {
            throw new IllegalArgumentException("dense and sparse optimizers must be set");
        }
        if (engine == null) {
            throw new IllegalArgumentException("engine is null (allowed: nd4j, reference)");
        }
        if (tower == null) {
            throw new IllegalArgumentException("tower is null (allowed: ops, dl4j)");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 0 (0: chosen by core count)");
        }
        if (earlyStopping == null) {
            throw new IllegalArgumentException("earlyStopping is null (use EarlyStopping.off())");
        }
    }

    public static final float TUTORIAL_LEARNING_RATE = 0.005f;
    public static final int TUTORIAL_BATCH_SIZE = 5000;
    public static final long DEFAULT_SEED = 42L;

    public static TrainConfig defaults() {
        return new TrainConfig(ModelConfig.tutorial(), 5, TUTORIAL_BATCH_SIZE, DEFAULT_SEED,
                DenseOptimizer.of(SparseOptimizer.Kind.ADAM, TUTORIAL_LEARNING_RATE),
                SparseOptimizer.adam(TUTORIAL_LEARNING_RATE), EngineKind.FUSED, Tower.Kind.OPS, 0, EarlyStopping.off());
    }

    public TrainConfig withModel(ModelConfig value) {
        return new TrainConfig(value, epochs, batchSize, seed, dense, sparse, engine, tower, threads, earlyStopping);
    }

    public TrainConfig withEpochs(int value) {
        return new TrainConfig(model, value, batchSize, seed, dense, sparse, engine, tower, threads, earlyStopping);
    }

    public TrainConfig withBatchSize(int value) {
        return new TrainConfig(model, epochs, value, seed, dense, sparse, engine, tower, threads, earlyStopping);
    }

    public TrainConfig withSeed(long value) {
        return new TrainConfig(model, epochs, batchSize, value, dense, sparse, engine, tower, threads, earlyStopping);
    }

    public TrainConfig withOptimizers(DenseOptimizer denseValue, SparseOptimizer sparseValue) {
        return new TrainConfig(model, epochs, batchSize, seed, denseValue, sparseValue, engine, tower, threads, earlyStopping);
    }

    public TrainConfig withEngine(EngineKind value) {
        return new TrainConfig(model, epochs, batchSize, seed, dense, sparse, value, tower, threads, earlyStopping);
    }

    public TrainConfig withTower(Tower.Kind value) {
        return new TrainConfig(model, epochs, batchSize, seed, dense, sparse, engine, value, threads, earlyStopping);
    }

    public TrainConfig withThreads(int value) {
        return new TrainConfig(model, epochs, batchSize, seed, dense, sparse, engine, tower, value, earlyStopping);
    }

    public TrainConfig withEarlyStopping(EarlyStopping value) {
        return new TrainConfig(model, epochs, batchSize, seed, dense, sparse, engine, tower, threads, value);
    }
}
