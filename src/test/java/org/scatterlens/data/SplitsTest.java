package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final Ratings TWIN = SyntheticMovieLens.generate(50_000, 3).ratings();

    private static void assertPartition(Ratings r, Split s) {
        assertEquals(r.size(), s.train().length + s.validation().length);
        int[] all = new int[r.size()];
        System.arraycopy(s.train(), 0, all, 0, s.train().length);
        System.arraycopy(s.validation(), 0, all, s.train().length, s.validation().length);
        Arrays.sort(all);
        for (int i = 0; i < all.length; i++) {
            assertEquals(i, all[i], "every rating exactly once");
        }
        for (int[] part : new int[][] {s.train(), s.validation()}) {
            for (int i = 1; i < part.length; i++) {
                assertTrue(part[i] > part[i - 1], "ascending");
            }
        }
    }

    @Test
    void randomHoldsOutExactlyTheFractionAndIsSeeded() {
        Split a = Splits.random(TWIN, 0.1, 7);
        assertPartition(TWIN, a);
        assertEquals(5_000, a.validation().length);
        assertArrayEquals(a.validation(), Splits.random(TWIN, 0.1, 7).validation());
        assertTrue(!Arrays.equals(a.validation(), Splits.random(TWIN, 0.1, 8).validation()));
        assertEquals("random 0.1, seed 7", a.description());
        assertEquals(2_500, Splits.random(TWIN, Splits.DEFAULT_VALIDATION_FRACTION, 1).validation().length);
        assertEquals(0, Splits.random(TWIN, 0, 1).validation().length);
        // Uniform: the held-out half of the file holds about half the validation ratings.
        long early = Arrays.stream(a.validation()).filter(i -> i < TWIN.size() / 2).count();
        assertTrue(Math.abs(early - 2_500) < 200, "early " + early);
    }

    @Test
    void fractionsOutsideTheRangeAreRefused() {
        for (double f : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splits.random(TWIN, f, 1));
            assertTrue(e.getMessage().contains("validation fraction " + f), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Splits.temporal(TWIN, f));
        }
    }

    @Test
    void temporalHoldsOutEachUsersLatest() {
        Split s = Splits.temporal(TWIN, 0.2);
        assertPartition(TWIN, s);
        int users = TWIN.users().size();
        int[] latestTrain = new int[users];
        int[] earliestHeld = new int[users];
        Arrays.fill(latestTrain, Integer.MIN_VALUE);
        Arrays.fill(earliestHeld, Integer.MAX_VALUE);
        int[] perUser = new int[users];
        int[] heldPerUser = new int[users];
        for (int i : s.train()) {
            int u = TWIN.userRows()[i];
            latestTrain[u] = Math.max(latestTrain[u], TWIN.times()[i]);
            perUser[u]++;
        }
        for (int i : s.validation()) {
            int u = TWIN.userRows()[i];
            earliestHeld[u] = Math.min(earliestHeld[u], TWIN.times()[i]);
            perUser[u]++;
            heldPerUser[u]++;
        }
        for (int u = 0; u < users; u++) {
            assertEquals(Math.round(perUser[u] * 0.2), heldPerUser[u], "user " + u);
            assertTrue(latestTrain[u] <= earliestHeld[u], "user " + u + " trains on nothing later than it validates on");
        }
        assertEquals("temporal 0.2 (each user's latest)", s.description());
    }

    @Test
    void unseenUsersAndMoviesAreCounted() {
        // User 2 has one rating (kept in training); movie 30 is rated only by user 1, at the latest time.
        Ratings r = new Ratings(new int[] {0, 0, 0, 0, 1}, new int[] {0, 1, 2, 0, 1}, new float[] {1, 2, 3, 4, 5},
                new int[] {10, 20, 30, 5, 1}, IdIndex.ofSorted(new int[] {1, 2}), IdIndex.ofSorted(new int[] {10, 20, 30}));
        Split temporal = Splits.temporal(r, 0.5);
        assertArrayEquals(new int[] {1, 2}, temporal.validation());
        assertEquals(1, temporal.unseenValidation(), "movie 30 never occurs in training");
        Split all = new Split(new int[0], new int[] {0, 1, 2, 3, 4}, 0, "");
        assertEquals(5, all.validation().length);
        Split random = Splits.random(r, 0.8, 1);
        int unseen = 0;
        boolean[] userSeen = new boolean[2];
        boolean[] itemSeen = new boolean[3];
        for (int i : random.train()) {
            userSeen[r.userRows()[i]] = true;
            itemSeen[r.itemRows()[i]] = true;
        }
        for (int i : random.validation()) {
            unseen += !userSeen[r.userRows()[i]] || !itemSeen[r.itemRows()[i]] ? 1 : 0;
        }
        assertEquals(unseen, random.unseenValidation());
        assertTrue(unseen > 0);
    }
}
