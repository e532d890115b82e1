package org.scatterlens.train;

import java.util.List;

import org.scatterlens.model.RatingModel;

/**
 * What {@link Trainer#fit} returns.
 *
 * @param model      the trained model (best epoch's weights when early stopping restores them)
 * @param history    every epoch, resumed ones included
 * @param best       the epoch with the lowest monitored validation metric
 * @param stopReason why training ended ("completed 10 epochs", "early stopping: ...")
 * @param seconds    wall time of this run
 */
public record TrainingResult(RatingModel model, List<EpochMetrics> history, EpochMetrics best, String stopReason,
                             double seconds) {
    public TrainingResult {
        history = List.copyOf(history);
    }
}
