package org.scatterlens.train;

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
