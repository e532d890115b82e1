package org.scatterlens.train;

import org.scatterlens.kernels.JavaTower;

/**
 * Running error sums: MSE (the loss), RMSE, MAE, and RMSE of predictions
 * clipped to the rating range. Double sums, so 20M ratings lose nothing.
 */
public final class ErrorStats {
    private double squared;
    private double absolute;
    private double clippedSquared;
    private long count;

    /** Adds precomputed sums for {@code n} ratings (an engine's batch). */
    public void add(double sumSquared, double sumAbsolute, long n) {
        squared += sumSquared;
        absolute += sumAbsolute;
        clippedSquared += sumSquared;
        count += n;
    }

    /** Adds one prediction against its truth; the clipped error uses [min, max]. */
    public void add(float predicted, float truth, float min, float max) {
        double e = (double) predicted - truth;
        double c = (double) Math.max(min, Math.min(max, predicted)) - truth;
        squared += e * e;
        absolute += Math.abs(e);
        clippedSquared += c * c;
        count++;
    }

    /**
     * The MSE loss of a batch: adds its errors (before any update) and writes
     * dL/dy = 2 (y - t) / n into {@code lossGradient[0, n)}. The one loss both
     * engines use.
     */
    public void addMseLoss(float[] predictions, float[] targets, int n, float[] lossGradient) {
        double[] sums = new double[2];
        JavaTower.loss(predictions, targets, n, lossGradient, sums);
        add(sums[0], sums[1], n);
    }

    public long count() {
        return count;
    }

    public double mse() {
        return count == 0 ? Double.NaN : squared / count;
    }

    public double rmse() {
        return Math.sqrt(mse());
    }

    public double mae() {
        return count == 0 ? Double.NaN : absolute / count;
    }

    public double clippedRmse() {
        return count == 0 ? Double.NaN : Math.sqrt(clippedSquared / count);
    }
}
