package org.scatterlens.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scatterlens.data.Movies;
import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;
import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.Tier;
import org.scatterlens.model.EpochRecord;
import org.scatterlens.model.ModelParameters;
import org.scatterlens.model.RatingModel;

/**
 * Trains a {@link RatingModel}: the loop of DESIGN.md, top to bottom.
 *
 * <pre>{@code
 * TrainingResult r = new Trainer(TrainConfig.defaults().withEpochs(10))
 *         .addListener(new EpochLogger(System.out))
 *         .fit(ratings, split, movies);
 * }</pre>
 *
 * Same seed, data and thread count give the same history; with a checkpoint
 * directory, every epoch leaves a checkpoint and {@code resume} continues
 * from it bit-identically.
 */
public final class Trainer {
    private final TrainConfig config;
    private final List<TrainingListener> listeners = new ArrayList<>();

    public Trainer(TrainConfig config) {
        this.config = config;
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public TrainConfig config() {
        return config;
    }

    public TrainingResult fit(Ratings ratings, Split split, Movies movies) {
        return fit(ratings, split, movies, null, false);
    }

    /**
     * @param checkpointDir where checkpoint.bin goes after every epoch; null for none
     * @param resume        continue from checkpointDir's checkpoint
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     * @throws IllegalArgumentException  when the split is empty or the checkpoint does not fit this run
     */
    public TrainingResult fit(Ratings ratings, Split split, Movies movies, Path checkpointDir, boolean resume) {
        long runStart = System.nanoTime();
        if (split.train().length == 0) {
            throw new IllegalArgumentException("the training split is empty (" + split.description() + ")");
        }
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("--resume needs a checkpoint directory");
        }
        int nUsers = ratings.users().size();
        int nItems = ratings.items().size();
        float mean = (float) ratings.mean(split.train());
        float[] range = range(ratings.values(), split.train());
        PackedRatings train = PackedRatings.of(ratings, split.train(), mean);
        PackedRatings validation = PackedRatings.of(ratings, split.validation(), mean);
        Checkpoints checkpoints = checkpointDir == null ? null : new Checkpoints(checkpointDir);
        String fingerprint = fingerprint(ratings, split);

        ModelParameters init = ModelParameters.initialize(config.model(), nUsers, nItems, config.seed());
        try (Engine engine = createEngine(init, nUsers, nItems)) {
            List<EpochMetrics> history = new ArrayList<>();
            EarlyStop stop = new EarlyStop(config.earlyStopping());
            int firstEpoch = 1;
            if (resume) {
                Checkpoints.Checkpoint c = checkpoints.load(fingerprint);
                engine.restoreState(c.state());
                history.addAll(c.history());
                stop.restore(c.bestEpoch(), c.bestValue(), c.badEpochs(), c.bestParameters());
                firstEpoch = c.epoch() + 1;
                // Epoch e's order is shuffle_e(order of epoch e-1): replay the earlier shuffles.
                for (int e = 1; e < firstEpoch; e++) {
                    train.shuffle(epochSeed(e));
                }
            }
            for (TrainingListener l : listeners) {
                l.onStart(firstEpoch, config.epochs(), train.size(), validation.size());
            }

            Batch batch = new Batch(config.batchSize());
            float[] predictions = new float[config.batchSize()];
            String stopReason = "completed " + config.epochs() + " epochs";
            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                train.shuffle(epochSeed(epoch));
                ErrorStats trainStats = new ErrorStats();
                for (int from = 0; from < train.size(); from += config.batchSize()) {
                    int n = Math.min(config.batchSize(), train.size() - from);
                    train.fill(batch, from, n);
                    // gather -> forward -> loss -> backward -> sparse update -> dense update
                    engine.train(batch, trainStats);
                    if (!Double.isFinite(trainStats.mse())) {
                        throw diverged(epoch, from / config.batchSize() + 1, checkpoints, history);
                    }
                    for (TrainingListener l : listeners) {
                        l.onBatch(epoch, from + n, train.size(), trainStats.mse());
                    }
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                ErrorStats val = evaluate(engine, validation, batch, predictions, mean, range);
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                EpochMetrics m = new EpochMetrics(epoch, seconds, train.size() / trainSeconds, trainStats.mse(),
                        trainStats.mae(), val.mse(), val.rmse(), val.mae(), val.clippedRmse());
                history.add(m);
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(m);
                }
                boolean improved = stop.record(m);
                if (improved && stop.keepsBest()) {
                    stop.bestParameters = engine.parameters();
                }
                if (checkpoints != null) {
                    checkpoints.save(new Checkpoints.Checkpoint(fingerprint, epoch, engine.saveState(), history,
                            stop.bestEpoch, stop.bestValue, stop.badEpochs, stop.bestParameters));
                }
                if (stop.shouldStop()) {
                    stopReason = String.format(Locale.ROOT, "early stopping: %s did not improve for %d epochs (best %.4f at epoch %d)",
                            config.earlyStopping().monitor().id(), stop.badEpochs, stop.bestValue, stop.bestEpoch);
                    break;
                }
            }

            ModelParameters finalParameters = stop.keepsBest() && stop.bestParameters != null
                    ? stop.bestParameters : engine.parameters();
            EpochMetrics best = stop.bestEpoch > 0 ? history.get(indexOf(history, stop.bestEpoch))
                    : history.isEmpty() ? null : history.get(history.size() - 1);
            RatingModel model = model(ratings, split, movies, finalParameters, mean, range, history, engine);
            TrainingResult result = new TrainingResult(model, history, best, stopReason,
                    (System.nanoTime() - runStart) / 1e9);
            for (TrainingListener l : listeners) {
                l.onEnd(result);
            }
            return result;
        }
    }

    private Engine createEngine(ModelParameters init, int nUsers, int nItems) {
        int threads = config.threads() == 0 ? Runtime.getRuntime().availableProcessors() : config.threads();
        return switch (config.engine()) {
            case ND4J -> {
                SparseKernels kernels = Kernels.load(Tier.CPU);
                kernels.setThreads(threads);
                Nd4jEngine.setThreads(threads);
                yield new Nd4jEngine(config.model(), init, nUsers, nItems, config.batchSize(), kernels,
                        config.dense(), config.sparse(), config.tower());
            }
            case REFERENCE -> new ReferenceEngine(config.model(), init, nUsers, nItems, config.batchSize(),
                    Kernels.java(), config.dense(), config.sparse());
        };
    }

    /** Each epoch's shuffle seed, derived from the run's seed (SplittableRandom's mixing). */
    private long epochSeed(int epoch) {
        return new java.util.SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch).nextLong();
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

    /** Validation metrics on ratings (predictions + mean against targets + mean). */
    static ErrorStats evaluate(Engine engine, PackedRatings validation, Batch batch, float[] predictions,
                               float mean, float[] range) {
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

    private TrainingDivergedException diverged(int epoch, int batchNumber, Checkpoints checkpoints,
                                               List<EpochMetrics> history) {
        String kept = checkpoints == null ? "no checkpoint directory was set"
                : history.isEmpty() ? "no epoch completed, so there is no checkpoint"
                : "the last good checkpoint (epoch " + history.get(history.size() - 1).epoch() + ") is "
                + checkpoints.file() + " (--resume continues from it)";
        return new TrainingDivergedException("the training loss became NaN or infinite at epoch " + epoch
                + ", batch " + batchNumber + "; lower the learning rate or add L2; " + kept);
    }

    /** The setup a checkpoint must match to be resumed: all but the epoch count. */
    private String fingerprint(Ratings ratings, Split split) {
        return "model=" + config.model() + " batch=" + config.batchSize() + " seed=" + config.seed()
                + " dense=" + config.dense() + " sparse=" + config.sparse() + " engine=" + config.engine().id()
                + " tower=" + config.tower().id()
                + " users=" + ratings.users().size() + " movies=" + ratings.items().size()
                + " train=" + split.train().length + " validation=" + split.validation().length
                + " split=" + split.description() + " earlyStopping=" + config.earlyStopping();
    }

    private static int indexOf(List<EpochMetrics> history, int epoch) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).epoch() == epoch) {
                return i;
            }
        }
        return history.size() - 1;
    }

    private RatingModel model(Ratings ratings, Split split, Movies movies, ModelParameters p, float mean,
                              float[] range, List<EpochMetrics> history, Engine engine) {
        int[] counts = new int[ratings.items().size()];
        int[] items = ratings.itemRows();
        for (int i : split.train()) {
            counts[items[i]]++;
        }
        List<EpochRecord> records = new ArrayList<>();
        for (EpochMetrics m : history) {
            records.add(m.toRecord());
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("seed", Long.toString(config.seed()));
        provenance.put("split", split.description());
        provenance.put("engine", engine.name() + " (kernels " + engine.kernels() + ")");
        return new RatingModel(config.model(), ratings.users(), ratings.items(), p.userTable(), p.itemTable(),
                p.userBias(), p.itemBias(), p.layers(), mean, range[0], range[1], records, provenance,
                movies == null ? Movies.empty() : movies, counts);
    }

    /** Early-stopping bookkeeping: the best monitored value, when, and how long since. */
    private static final class EarlyStop {
        private final TrainConfig.EarlyStopping rule;
        int bestEpoch;
        double bestValue = Double.POSITIVE_INFINITY;
        int badEpochs;
        ModelParameters bestParameters;

        EarlyStop(TrainConfig.EarlyStopping rule) {
            this.rule = rule;
        }

        void restore(int epoch, double value, int bad, ModelParameters parameters) {
            bestEpoch = epoch;
            bestValue = value;
            badEpochs = bad;
            bestParameters = parameters;
        }

        boolean keepsBest() {
            return rule.restoreBest();
        }

        /** Returns whether this epoch is the best so far. */
        boolean record(EpochMetrics m) {
            double value = rule.monitor().of(m);
            if (Double.isNaN(value)) {
                return false;  // no validation rows: nothing to monitor
            }
            if (value < bestValue - rule.minDelta()) {
                bestValue = value;
                bestEpoch = m.epoch();
                badEpochs = 0;
                return true;
            }
            badEpochs++;
            return false;
        }

        boolean shouldStop() {
            return rule.patience() > 0 && badEpochs >= rule.patience();
        }
    }
}
