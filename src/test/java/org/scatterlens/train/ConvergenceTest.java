package org.scatterlens.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;
import org.scatterlens.data.SyntheticMovieLens;
import org.scatterlens.eval.Baselines;

/**
 * The tutorial's model on a scaled-down twin (500k ratings, seconds to train)
 * gets within 5% of the twin's noise floor, the best RMSE any model can
 * reach, and beats predicting each movie's mean by at least 10%.
 */
class ConvergenceTest {

    @Test
    void tutorialModelReachesTheNoiseFloorOfASmallTwin() {
        SyntheticMovieLens.Dataset twin = SyntheticMovieLens.generate(500_000, SyntheticMovieLens.DEFAULT_SEED);
        Ratings r = twin.ratings();
        Split split = randomTenth(r, 7);

        double movieMean = Baselines.compute(r, split).get(1).rmse();
        TrainingResult result = new Trainer(TrainConfig.defaults().withEpochs(4).withThreads(1)).fit(r, split, twin.movies());
        double best = result.history().stream().mapToDouble(EpochMetrics::valRmse).min().orElseThrow();

        double floor = twin.noiseFloorRmse();
        assertTrue(best <= 1.05 * floor, String.format("best val RMSE %.4f is not within 5%% of the noise floor %.4f (history %s)",
                best, floor, result.history()));
        assertTrue(best <= 0.90 * movieMean, String.format("best val RMSE %.4f does not beat the per-movie mean %.4f by 10%%",
                best, movieMean));
    }

    static Split randomTenth(Ratings r, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] train = new int[r.size()];
        int[] validation = new int[r.size()];
        int nt = 0;
        int nv = 0;
        for (int i = 0; i < r.size(); i++) {
            if (random.nextDouble() < 0.1) {
                validation[nv++] = i;
            } else {
                train[nt++] = i;
            }
        }
        return new Split(Arrays.copyOf(train, nt), Arrays.copyOf(validation, nv), 0, "random 0.1");
    }
}
