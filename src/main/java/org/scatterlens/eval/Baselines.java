package org.scatterlens.eval;

import java.util.List;

import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;
import org.scatterlens.train.ErrorStats;

/**
 * The two numbers every rating model must beat, on the same validation rows:
 * predicting the training mean for everything, and predicting each movie's
 * training mean (the global mean for a movie with no training ratings).
 */
public final class Baselines {
    private Baselines() {}

    /** One baseline's validation errors. */
    public record Baseline(String name, double rmse, double mae) {}

    public static List<Baseline> compute(Ratings ratings, Split split) {
        float[] values = ratings.values();
        int[] items = ratings.itemRows();
        double mean = ratings.mean(split.train());
        double[] sums = new double[ratings.items().size()];
        int[] counts = new int[ratings.items().size()];
        for (int i : split.train()) {
            sums[items[i]] += values[i];
            counts[items[i]]++;
        }
        ErrorStats global = new ErrorStats();
        ErrorStats perMovie = new ErrorStats();
        float inf = Float.POSITIVE_INFINITY;
        for (int i : split.validation()) {
            int m = items[i];
            float movieMean = (float) (counts[m] > 0 ? sums[m] / counts[m] : mean);
            global.add((float) mean, values[i], -inf, inf);
            perMovie.add(movieMean, values[i], -inf, inf);
        }
        return List.of(new Baseline("globalMean", global.rmse(), global.mae()),
                new Baseline("movieMean", perMovie.rmse(), perMovie.mae()));
    }
}
