package org.scatterlens.train;

/**
 * Hooks into {@link Trainer#fit}: progress, logging, history. Called on the
 * training thread; keep them cheap (onBatch runs every batch).
 */
public interface TrainingListener {

    /** Before the first epoch (of this run; a resumed run starts at {@code firstEpoch}). */
    default void onStart(int firstEpoch, int epochs, long trainRatings, long validationRatings) {}

    /** After each batch: {@code done} of {@code total} ratings of this epoch, the epoch's running loss. */
    default void onBatch(int epoch, long done, long total, double runningLoss) {}

    default void onEpochEnd(EpochMetrics metrics) {}

    default void onEnd(TrainingResult result) {}
}
