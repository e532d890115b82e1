package org.scatterlens.train;

import java.util.SplittableRandom;

import org.scatterlens.data.Ratings;

/**
 * The ratings of one side of a split as (user row, movie row, centered target)
 * records, 12 bytes each, side by side: an epoch's shuffle moves records, and
 * batches then read them in order. Against shuffling an index and gathering
 * three columns per batch, that is one cache miss per rating instead of three.
 */
final class PackedRatings {
    private final int[] records;  // [user, item, floatBits(rating - mean)] per rating
    private final int size;

    private PackedRatings(int[] records, int size) {
        this.records = records;
        this.size = size;
    }

    /** The ratings {@code subset} (indices into {@code ratings}), targets centered on {@code mean}. */
    static PackedRatings of(Ratings ratings, int[] subset, float mean) {
        int[] users = ratings.userRows();
        int[] items = ratings.itemRows();
        float[] values = ratings.values();
        int[] records = new int[Math.multiplyExact(subset.length, 3)];
        for (int k = 0; k < subset.length; k++) {
            int r = subset[k];
            records[3 * k] = users[r];
            records[3 * k + 1] = items[r];
            records[3 * k + 2] = Float.floatToRawIntBits(values[r] - mean);
        }
        return new PackedRatings(records, subset.length);
    }

    int size() {
        return size;
    }

    /** Fisher-Yates over the records, seeded: the same seed and starting order give the same order. */
    void shuffle(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] r = records;
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int a = 3 * i;
            int b = 3 * j;
            int u = r[a];
            int m = r[a + 1];
            int t = r[a + 2];
            r[a] = r[b];
            r[a + 1] = r[b + 1];
            r[a + 2] = r[b + 2];
            r[b] = u;
            r[b + 1] = m;
            r[b + 2] = t;
        }
    }

    /** Loads records [from, from + n) into {@code batch}. */
    void fill(Batch batch, int from, int n) {
        if (n > batch.capacity()) {
            throw new IllegalArgumentException("batch of " + n + " exceeds capacity " + batch.capacity());
        }
        int[] r = records;
        for (int k = 0, at = 3 * from; k < n; k++, at += 3) {
            batch.users[k] = r[at];
            batch.items[k] = r[at + 1];
            batch.targets[k] = Float.intBitsToFloat(r[at + 2]);
        }
        batch.size = n;
    }
}
