package org.scatterlens.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Cuts ratings into training and validation: a seeded random holdout, or each
 * user's latest ratings. Both count the validation ratings whose user or movie
 * never occurs in training, so that a report can say how many predictions had
 * nothing to go on.
 */
public final class Splits {
    /** The tutorial's validation_split. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.05;

    private static final int USERS_PER_BLOCK = 2048;

    private Splits() {}

    /**
     * Exactly round(n * validationFraction) ratings, drawn uniformly without
     * replacement (selection sampling: one pass, no permutation of n).
     *
     * @throws IllegalArgumentException when validationFraction is outside [0, 1)
     */
    public static Split random(Ratings r, double validationFraction, long seed) {
        checkFraction(validationFraction);
        int n = r.size();
        int wanted = (int) Math.round(n * validationFraction);
        boolean[] held = new boolean[n];
        SplittableRandom random = new SplittableRandom(seed);
        int left = wanted;
        for (int i = 0; i < n && left > 0; i++) {
            if ((n - i) * random.nextDouble() < left) {
                held[i] = true;
                left--;
            }
        }
        return build(r, held, wanted, String.format("random %s, seed %d", fraction(validationFraction), seed));
    }

    /**
     * Each user's latest round(count * validationFraction) ratings by timestamp
     * (ties: later in the file is later), keeping at least one rating of every
     * user in training.
     *
     * @throws IllegalArgumentException when validationFraction is outside [0, 1)
     */
    public static Split temporal(Ratings r, double validationFraction) {
        checkFraction(validationFraction);
        int n = r.size();
        int users = r.users().size();
        int[] userRows = r.userRows();
        int[] times = r.times();
        ByUser groups = ByUser.of(userRows, users);
        int[] start = groups.start();
        int[] byUser = groups.order();
        boolean[] held = new boolean[n];
        int blocks = Parallel.blocks(users, USERS_PER_BLOCK);
        int[] heldPerBlock = new int[blocks];
        Parallel.forEachBlock(blocks, block -> {
            int from = block * USERS_PER_BLOCK;
            int to = Math.min(users, from + USERS_PER_BLOCK);
            long[] keys = new long[16];
            int heldHere = 0;
            for (int u = from; u < to; u++) {
                int count = start[u + 1] - start[u];
                int latest = (int) Math.min(count - 1L, Math.round(count * validationFraction));
                if (latest <= 0) {
                    continue;
                }
                if (keys.length < count) {
                    keys = new long[Math.max(count, keys.length * 2)];
                }
                // (time, index) packed so that one long sort orders by time, then by file position.
                for (int j = 0; j < count; j++) {
                    int i = byUser[start[u] + j];
                    keys[j] = ((long) times[i] << 32) | i;
                }
                Arrays.sort(keys, 0, count);
                for (int j = count - latest; j < count; j++) {
                    held[(int) keys[j]] = true;
                }
                heldHere += latest;
            }
            heldPerBlock[block] = heldHere;
        });
        int wanted = 0;
        for (int h : heldPerBlock) {
            wanted += h;
        }
        return build(r, held, wanted, String.format("temporal %s (each user's latest)", fraction(validationFraction)));
    }

    private static Split build(Ratings r, boolean[] held, int heldCount, String description) {
        int n = held.length;
        int[] train = new int[n - heldCount];
        int[] validation = new int[heldCount];
        boolean[] userSeen = new boolean[r.users().size()];
        boolean[] itemSeen = new boolean[r.items().size()];
        int[] userRows = r.userRows();
        int[] itemRows = r.itemRows();
        int t = 0;
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (held[i]) {
                validation[v++] = i;
            } else {
                train[t++] = i;
                userSeen[userRows[i]] = true;
                itemSeen[itemRows[i]] = true;
            }
        }
        int unseen = 0;
        for (int i : validation) {
            if (!userSeen[userRows[i]] || !itemSeen[itemRows[i]]) {
                unseen++;
            }
        }
        return new Split(train, validation, unseen, description);
    }

    private static void checkFraction(double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " is outside [0, 1)");
        }
    }

    private static String fraction(double f) {
        String s = Double.toString(f);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
