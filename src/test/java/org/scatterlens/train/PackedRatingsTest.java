package org.scatterlens.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.scatterlens.data.IdIndex;
import org.scatterlens.data.Ratings;

class PackedRatingsTest {
    /** Ratings whose user row is their index, so an order is readable off the batch. */
    static PackedRatings numbered(int n) {
        int[] users = new int[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            users[i] = i;
            ids[i] = i + 1;
        }
        Ratings r = new Ratings(users, new int[n], new float[n], new int[n], IdIndex.ofSorted(ids), IdIndex.ofSorted(new int[] {1}));
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return PackedRatings.of(r, all, 0f);
    }

    static int[] order(PackedRatings p) {
        Batch b = new Batch(p.size());
        p.fill(b, 0, p.size());
        return Arrays.copyOf(b.users, p.size());
    }

    @Test
    void shuffleIsADeterministicPermutation() {
        int n = 300_000;  // several buckets
        PackedRatings a = numbered(n);
        PackedRatings b = numbered(n);
        a.shuffle(11);
        b.shuffle(11);
        int[] oa = order(a);
        assertArrayEquals(oa, order(b), "same seed, same order");
        int[] sorted = oa.clone();
        Arrays.sort(sorted);
        int[] identity = new int[n];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted, "every record exactly once");
        assertFalse(Arrays.equals(identity, oa), "the order changed");
        b.shuffle(12);
        assertFalse(Arrays.equals(oa, order(b)), "another seed, another order");
    }

    @Test
    void shuffleSpreadsEveryRecordEvenly() {
        // Across seeds, where record 0 and the last record land is uniform over the array,
        // and a record's neighbour stays its neighbour about as often as chance says.
        int n = 1 << 17;  // two buckets
        int trials = 300;
        double firstSum = 0;
        double lastSum = 0;
        int[] quarters = new int[4];
        for (int t = 0; t < trials; t++) {
            PackedRatings p = numbered(n);
            p.shuffle(1000 + t);
            int[] o = order(p);
            for (int i = 0; i < n; i++) {
                if (o[i] == 0) {
                    firstSum += i;
                    quarters[4 * i / n]++;
                }
                if (o[i] == n - 1) {
                    lastSum += i;
                }
            }
        }
        double mean = (n - 1) / 2.0;
        double sd = n / Math.sqrt(12 * trials);
        assertEquals(mean, firstSum / trials, 4 * sd, "mean position of record 0");
        assertEquals(mean, lastSum / trials, 4 * sd, "mean position of the last record");
        for (int q : quarters) {
            assertTrue(q > trials / 4 - 4 * Math.sqrt(trials * 3.0 / 16) && q < trials / 4 + 4 * Math.sqrt(trials * 3.0 / 16),
                    "record 0 per quarter: " + Arrays.toString(quarters));
        }
    }
}
