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
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("--resume needs a checkpoint directory");
        }
        Checkpoints checkpoints = checkpointDir == null ? null : new Checkpoints(checkpointDir);
        String fingerprint = fingerprint(ratings, split);
        try (TrainingSession session = new TrainingSession(config, ratings, split)) {
            Engine engine = session.engine();
            List<EpochMetrics> history = new ArrayList<>();
            EarlyStop stop = new EarlyStop(config.earlyStopping());
            int firstEpoch = 1;
            if (resume) {
                Checkpoints.Checkpoint c = checkpoints.load(fingerprint);
                engine.restoreState(c.state());
                history.addAll(c.history());
                stop.restore(c.bestEpoch(), c.bestValue(), c.badEpochs(), c.bestParameters());
                firstEpoch = c.epoch() + 1;
                session.replayShuffles(c.epoch());
            }
            for (TrainingListener l : listeners) {
                l.onStart(firstEpoch, config.epochs(), session.trainSize(), session.validationSize());
            }

            String stopReason = "completed " + config.epochs() + " epochs";
            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                ErrorStats trainStats;
                try {
                    trainStats = session.trainEpoch(epoch, listeners);
                } catch (TrainingDivergedException e) {
                    throw diverged(e, checkpoints, history);
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                ErrorStats val = session.validate();
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                EpochMetrics m = new EpochMetrics(epoch, seconds, session.trainSize() / trainSeconds, trainStats.mse(),
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
            RatingModel model = model(ratings, split, movies, finalParameters, session, history);
            TrainingResult result = new TrainingResult(model, history, best, stopReason,
                    (System.nanoTime() - runStart) / 1e9);
            for (TrainingListener l : listeners) {
                l.onEnd(result);
            }
            return result;
        }
    }

    private static TrainingDivergedException diverged(TrainingDivergedException at, Checkpoints checkpoints,
                                                      List<EpochMetrics> history) {
        String kept = checkpoints == null ? "no checkpoint directory was set"
                : history.isEmpty() ? "no epoch completed, so there is no checkpoint"
                : "the last good checkpoint (epoch " + history.get(history.size() - 1).epoch() + ") is "
                + checkpoints.file() + " (--resume continues from it)";
        return new TrainingDivergedException(at.getMessage() + "; lower the learning rate or add L2; " + kept);
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

    private RatingModel model(Ratings ratings, Split split, Movies movies, ModelParameters p, TrainingSession session,
                              List<EpochMetrics> history) {
        Engine engine = session.engine();
        float mean = session.mean();
        float[] range = session.range();
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
