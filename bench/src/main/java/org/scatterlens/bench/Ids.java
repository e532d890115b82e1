package org.scatterlens.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded id batches for the benchmarks: uniform, or Zipf-skewed like movie popularity. */
final class Ids {
    private Ids() {}

    static int[] uniform(int n, int rows, SplittableRandom random) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(rows);
        }
        return out;
    }

    /** Zipf(s = 1.1) over a random permutation of the rows: a few hot rows in every batch. */
    static int[] zipf(int n, int rows, SplittableRandom random) {
        double[] cdf = new double[rows];
        double sum = 0;
        for (int k = 0; k < rows; k++) {
            sum += 1.0 / Math.pow(k + 1, 1.1);
            cdf[k] = sum;
        }
        int[] rowOfRank = new int[rows];
        for (int i = 0; i < rows; i++) {
            rowOfRank[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rowOfRank[i];
            rowOfRank[i] = rowOfRank[j];
            rowOfRank[j] = t;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int rank = Arrays.binarySearch(cdf, random.nextDouble() * sum);
            rank = rank >= 0 ? rank : Math.min(-rank - 1, rows - 1);
            out[i] = rowOfRank[rank];
        }
        return out;
    }

    static int[] of(String shape, int n, int rows, SplittableRandom random) {
        return switch (shape) {
            case "uniform" -> uniform(n, rows, random);
            case "zipf" -> zipf(n, rows, random);
            default -> throw new IllegalArgumentException("ids: '" + shape + "' is not uniform or zipf");
        };
    }
}
