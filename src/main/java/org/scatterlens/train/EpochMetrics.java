package org.scatterlens.train;

import org.scatterlens.model.EpochRecord;

/**
 * What one epoch measured. Losses are MSE; validation is on the held-out rows.
 *
 * @param valRmseClipped RMSE of predictions clipped to the rating range
 */
public record EpochMetrics(int epoch, double seconds, double ratingsPerSecond, double loss, double mae,
                           double valLoss, double valRmse, double valMae, double valRmseClipped) {

    public EpochRecord toRecord() {
        return new EpochRecord(epoch, seconds, ratingsPerSecond, loss, mae, valLoss, valRmse, valMae);
    }

    public boolean finite() {
        return Double.isFinite(loss) && (Double.isNaN(valLoss) || Double.isFinite(valLoss));
    }
}
