package org.scatterlens.train;

import java.util.List;
import java.util.SplittableRandom;

import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;
import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.NativeTower;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.Tier;
import org.scatterlens.model.ModelParameters;

/**
 * An engine with its data, ready to run epochs: the training and validation
 * ratings packed and centered on the training mean, the engine built from the
 * seeded initial weights. {@link Trainer} drives one per run; the JMH epoch
 * benchmark drives one directly, so it times exactly what {@code train} runs.
 */
public final class TrainingSession implements AutoCloseable {
    private final TrainConfig config;
    private final float mean;
    private final float[] range;
    private final PackedRatings train;
    private final PackedRatings validation;
    private final Engine engine;
    private final Batch batch;
    private final float[] predictions;

    public TrainingSession(TrainConfig config, Ratings ratings, Split split) {
        if (split.train().length == 0) {
            throw new IllegalArgumentException("the training split is empty (" + split.description() + ")");
        }
        this.config = config;
        this.mean = (float) ratings.mean(split.train());
        this.range = range(ratings.values(), split.train());
        this.train = PackedRatings.of(ratings, split.train(), mean);
        this.validation = PackedRatings.of(ratings, split.validation(), mean);
        int nUsers = ratings.users().size();
        int nItems = ratings.items().size();
        ModelParameters init = ModelParameters.initialize(config.model(), nUsers, nItems, config.seed());
        this.engine = createEngine(config, init, nUsers, nItems);
        this.batch = new Batch(config.batchSize());
        this.predictions = new float[config.batchSize()];
    }

    private static Engine createEngine(TrainConfig config, ModelParameters init, int nUsers, int nItems) {
        int threads = threads(config);
        return switch (config.engine()) {
            case ND4J -> {
                // The second core goes to the engine's own pipeline (user-table update beside the rest),
                // not to ND4J's or the kernels' OpenMP teams: on these small layers one ND4J thread was
                // faster, and spinning OpenMP and BLAS pools fight over two cores (docs/benchmarks.md).
                SparseKernels kernels = Kernels.load(Tier.CPU);
                kernels.setThreads(1);
                Nd4jEngine.setThreads(1);
                yield new Nd4jEngine(config.model(), init, nUsers, nItems, config.batchSize(), kernels,
                        config.dense(), config.sparse(), config.tower(), threads);
            }
            case FUSED -> {
                // The second core goes to the pipelined user-table update, not to the kernels' OpenMP teams:
                // overlapping that memory-bound update with the next batch's work gained more than splitting
                // each call across two threads (docs/benchmarks.md).
                SparseKernels kernels = Kernels.load(Tier.CPU);
                kernels.setThreads(1);
                yield new FusedEngine(config.model(), init, nUsers, nItems, config.batchSize(), kernels,
                        new NativeTower(kernels), config.dense(), config.sparse(), threads);
            }
            case REFERENCE -> new ReferenceEngine(config.model(), init, nUsers, nItems, config.batchSize(),
                    Kernels.java(), config.dense(), config.sparse());
        };
    }

    /** The engine's thread count: the config's, or for 0 the choice TrainConfig documents. */
    static int threads(TrainConfig config) {
        if (config.threads() != 0) {
            return config.threads();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return switch (config.engine()) {
            // 2 is the most measured (docs/benchmarks.md); more cores are unmeasured on 5000-row batches.
            case FUSED -> Math.min(2, cores);
            // The helper thread only where it does not take the machine's last free core.
            case ND4J, REFERENCE -> cores > 2 ? 2 : 1;
        };
    }

    static float[] range(float[] values, int[] subset) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i : subset) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return new float[] {min, max};
    }

    public Engine engine() {
        return engine;
    }

    /** The training ratings' mean: the network predicts rating - mean. */
    public float mean() {
        return mean;
    }

    /** [min, max] of the training ratings: the clip range of predictions. */
    public float[] range() {
        return range.clone();
    }

    public int trainSize() {
        return train.size();
    }

    public int validationSize() {
        return validation.size();
    }

    /** Each epoch's shuffle seed, derived from the run's seed. */
    private long epochSeed(int epoch) {
        return new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch).nextLong();
    }

    /** Epoch e's order is shuffle_e(order of epoch e-1): a resumed run replays the earlier shuffles. */
    public void replayShuffles(int completedEpochs) {
        for (int e = 1; e <= completedEpochs; e++) {
            train.shuffle(epochSeed(e));
        }
    }

    /**
     * Shuffles, then trains every batch once; returns the epoch's training errors
     * (each batch measured before its update).
     *
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     */
    public ErrorStats trainEpoch(int epoch, List<TrainingListener> listeners) {
        train.shuffle(epochSeed(epoch));
        ErrorStats stats = new ErrorStats();
        int size = config.batchSize();
        for (int from = 0; from < train.size(); from += size) {
            int n = Math.min(size, train.size() - from);
            train.fill(batch, from, n);
            // gather -> forward -> loss -> backward -> sparse update -> dense update
            engine.train(batch, stats);
            if (!Double.isFinite(stats.mse())) {
                throw new TrainingDivergedException("the training loss became NaN or infinite at epoch " + epoch
                        + ", batch " + (from / size + 1));
            }
            for (TrainingListener l : listeners) {
                l.onBatch(epoch, from + n, train.size(), stats.mse());
            }
        }
        return stats;
    }

    /** Validation errors on ratings (predictions + mean against the true ratings). */
    public ErrorStats validate() {
        ErrorStats stats = new ErrorStats();
        for (int from = 0; from < validation.size(); from += batch.capacity()) {
            int n = Math.min(batch.capacity(), validation.size() - from);
            validation.fill(batch, from, n);
            engine.predict(batch, predictions);
            for (int k = 0; k < n; k++) {
                stats.add(predictions[k] + mean, batch.targets[k] + mean, range[0], range[1]);
            }
        }
        return stats;
    }

    @Override
    public void close() {
        engine.close();
    }
}
