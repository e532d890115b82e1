package org.scatterlens.testing;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded id batches shaped like real ones: uniform, Zipf-skewed (popular movies), all one row. */
public final class RandomIds {
    private RandomIds() {}

    public enum Shape { UNIFORM, ZIPF, ONE_ROW }

    public static int[] draw(Shape shape, int batch, int nRows, SplittableRandom random) {
        int[] ids = new int[batch];
        switch (shape) {
            case UNIFORM -> {
                for (int i = 0; i < batch; i++) {
                    ids[i] = random.nextInt(nRows);
                }
            }
            case ZIPF -> {
                double[] cdf = zipfCdf(nRows, 1.1);
                // Popularity rank -> a scattered row id, so hot rows are not all at the table's start.
                int[] rowOfRank = permutation(nRows, random);
                for (int i = 0; i < batch; i++) {
                    int rank = Arrays.binarySearch(cdf, random.nextDouble());
                    rank = rank >= 0 ? rank : Math.min(-rank - 1, nRows - 1);
                    ids[i] = rowOfRank[rank];
                }
            }
            case ONE_ROW -> Arrays.fill(ids, random.nextInt(nRows));
        }
        return ids;
    }

    static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public static float[] uniform(int n, float scale, SplittableRandom random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return out;
    }
}
