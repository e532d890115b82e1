package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;

class SyntheticMovieLensTest {
    private static final long N = 100_000;
    private static final SyntheticMovieLens.Dataset TWIN = SyntheticMovieLens.generate(N, 11);

    @Test
    void fullShapeIsMovieLens20m() {
        SyntheticMovieLens.Shape full = SyntheticMovieLens.Shape.of(SyntheticMovieLens.FULL_RATINGS);
        assertEquals(138_493, full.users());
        assertEquals(26_744, full.movies());
        assertEquals(131_262, full.maxMovieId());
        assertEquals(9_254, full.maxRatingsPerUser());
        long total = Arrays.stream(SyntheticMovieLens.ML20M_HISTOGRAM).sum();
        assertEquals(SyntheticMovieLens.FULL_RATINGS, total);
        int[] perUser = SyntheticMovieLens.ratingsPerUser(full, 42);
        assertEquals(SyntheticMovieLens.FULL_RATINGS, Arrays.stream(perUser).asLongStream().sum());
        assertEquals(20, Arrays.stream(perUser).min().getAsInt());
        assertEquals(9_254, Arrays.stream(perUser).max().getAsInt());
        int[] sorted = perUser.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[sorted.length / 2] > 55 && sorted[sorted.length / 2] < 85, "median per user " + sorted[sorted.length / 2]);
    }

    @Test
    void countsIdsAndEveryUserAndMovie() {
        Ratings r = TWIN.ratings();
        SyntheticMovieLens.Shape shape = SyntheticMovieLens.Shape.of(N);
        assertEquals(N, r.size());
        assertEquals(shape.users(), r.users().size());
        assertEquals(shape.movies(), r.items().size());
        assertEquals(1, r.users().rawId(0));
        assertEquals(shape.users(), r.users().rawId(shape.users() - 1));
        assertEquals(1, r.items().rawId(0));
        assertEquals(shape.maxMovieId(), r.items().rawId(shape.movies() - 1));
        int[] perUser = new int[r.users().size()];
        int[] perMovie = new int[r.items().size()];
        for (int i = 0; i < r.size(); i++) {
            perUser[r.userRows()[i]]++;
            perMovie[r.itemRows()[i]]++;
            assertTrue(r.times()[i] >= SyntheticMovieLens.FIRST_TIME && r.times()[i] <= SyntheticMovieLens.LAST_TIME);
        }
        assertTrue(Arrays.stream(perUser).min().getAsInt() >= SyntheticMovieLens.MIN_RATINGS_PER_USER);
        assertTrue(Arrays.stream(perMovie).min().getAsInt() >= 1, "every movie has a rating");
        assertEquals(0, Duplicates.keepLatest(r).removed(), "no (user, movie) pair twice");
        // Long tails: the most popular movie has far more than the median one.
        int[] sorted = perMovie.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[sorted.length - 1] > 50 * Math.max(1, sorted[sorted.length / 2]));
    }

    @Test
    void histogramIsMovieLens20ms() {
        float[] v = TWIN.ratings().values();
        long[] counts = new long[10];
        double sum = 0;
        double squares = 0;
        for (float x : v) {
            int level = Math.round(x * 2) - 1;
            assertEquals(x, (level + 1) / 2f, "half stars only");
            counts[level]++;
            sum += x;
            squares += x * x;
        }
        for (int k = 0; k < 10; k++) {
            double expected = (double) SyntheticMovieLens.ML20M_HISTOGRAM[k] / SyntheticMovieLens.FULL_RATINGS;
            assertEquals(expected, (double) counts[k] / v.length, 0.002, "share of " + (k + 1) / 2.0);
        }
        double mean = sum / v.length;
        assertEquals(3.5255, mean, 0.01);
        assertEquals(1.0519, Math.sqrt(squares / v.length - mean * mean), 0.01);
        assertTrue(TWIN.noiseFloorRmse() > 0.78 && TWIN.noiseFloorRmse() < 0.9, "noise floor " + TWIN.noiseFloorRmse());
    }

    @Test
    void deterministicBySeedWhateverTheThreads() throws Exception {
        SyntheticMovieLens.Dataset again = new ForkJoinPool(1).submit(() -> SyntheticMovieLens.generate(N, 11)).get();
        assertArrayEquals(TWIN.ratings().userRows(), again.ratings().userRows());
        assertArrayEquals(TWIN.ratings().itemRows(), again.ratings().itemRows());
        assertArrayEquals(TWIN.ratings().values(), again.ratings().values());
        assertArrayEquals(TWIN.ratings().times(), again.ratings().times());
        assertEquals(TWIN.noiseFloorRmse(), again.noiseFloorRmse());
        assertEquals(TWIN.movies().all(), again.movies().all());
        SyntheticMovieLens.Dataset other = SyntheticMovieLens.generate(N, 12);
        assertFalse(Arrays.equals(TWIN.ratings().values(), other.ratings().values()));
    }

    @Test
    void everyMovieHasAUniqueTitleAYearAndGenres() {
        Movies movies = TWIN.movies();
        assertEquals(TWIN.ratings().items().size(), movies.size());
        Set<String> titles = new HashSet<>();
        int withGenres = 0;
        for (int id : TWIN.ratings().items().rawIds()) {
            Movies.Movie m = movies.get(id).orElseThrow();
            assertTrue(titles.add(m.title()), "title twice: " + m.title());
            assertTrue(m.year() >= 1902 && m.year() <= 2015);
            withGenres += m.genres().isEmpty() ? 0 : 1;
        }
        assertTrue(withGenres > 0.97 * movies.size());
    }

    @Test
    void sizesOutsideTheRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticMovieLens.generate(999, 1));
        assertTrue(e.getMessage().contains("synthetic ratings 999 is outside"), e.getMessage());
    }

    @Test
    void selectionFindsTheKthSmallest() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            double[] a = new double[1 + random.nextInt(200)];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(20);
            }
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(a.length);
            assertEquals(sorted[k], SyntheticMovieLens.kthSmallest(a.clone(), k));
        }
    }
}
