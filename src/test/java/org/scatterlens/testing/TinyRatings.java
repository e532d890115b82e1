package org.scatterlens.testing;

import java.util.SplittableRandom;

import org.scatterlens.data.IdIndex;
import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;

/** Small seeded rating sets with a planted bias + low-rank signal, for trainer tests. */
public final class TinyRatings {
    private TinyRatings() {}

    public static Ratings planted(int users, int items, int ratings, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] userBias = new float[users];
        float[] itemBias = new float[items];
        float[][] p = new float[users][2];
        float[][] q = new float[items][2];
        for (int u = 0; u < users; u++) {
            userBias[u] = (float) (random.nextGaussian() * 0.4);
            p[u][0] = (float) random.nextGaussian();
            p[u][1] = (float) random.nextGaussian();
        }
        for (int i = 0; i < items; i++) {
            itemBias[i] = (float) (random.nextGaussian() * 0.5);
            q[i][0] = (float) (random.nextGaussian() * 0.4);
            q[i][1] = (float) (random.nextGaussian() * 0.4);
        }
        int[] u = new int[ratings];
        int[] it = new int[ratings];
        float[] v = new float[ratings];
        int[] t = new int[ratings];
        for (int k = 0; k < ratings; k++) {
            u[k] = random.nextInt(users);
            it[k] = (int) Math.min(items - 1, Math.abs(random.nextGaussian()) * items / 2.5);
            double score = 3.5 + userBias[u[k]] + itemBias[it[k]] + p[u[k]][0] * q[it[k]][0] + p[u[k]][1] * q[it[k]][1]
                    + random.nextGaussian() * 0.5;
            v[k] = (float) Math.max(0.5, Math.min(5.0, Math.round(score * 2) / 2.0));
            t[k] = 1_000_000_000 + k;
        }
        int[] userIds = new int[users];
        int[] itemIds = new int[items];
        for (int i = 0; i < users; i++) {
            userIds[i] = i + 1;
        }
        for (int i = 0; i < items; i++) {
            itemIds[i] = 10 * i + 1;
        }
        return new Ratings(u, it, v, t, IdIndex.ofSorted(userIds), IdIndex.ofSorted(itemIds));
    }

    /** Every tenth rating to validation. */
    public static Split tenth(Ratings r) {
        int n = r.size();
        int[] validation = new int[n / 10];
        int[] train = new int[n - validation.length];
        int vi = 0;
        int ti = 0;
        for (int k = 0; k < n; k++) {
            if (k % 10 == 9 && vi < validation.length) {
                validation[vi++] = k;
            } else {
                train[ti++] = k;
            }
        }
        return new Split(train, validation, 0, "every 10th");
    }
}
