package org.scatterlens.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The built-in dataset: a twin of MovieLens-20M with its shape and rating
 * histogram, drawn from a planted model whose best possible RMSE is known.
 *
 * <p>Shape: 138,493 users with ids 1..138,493; 26,744 movies with ids spread
 * over 1..131,262; 20,000,263 ratings; every user at least 20 ratings, user
 * activity long-tailed (log-normal above the 20), movie popularity heavily
 * skewed (log-normal weights, most ratings on few movies, a median movie with
 * a few dozen ratings), half-star ratings with ML-20M's exact histogram
 * (mean 3.53, sd 1.05), timestamps between ML-20M's first and last.
 *
 * <p>Planted model, in latent units: user bias + movie bias (partly from its
 * genres and popularity) + a rank-{@value #FACTOR_RANK} dot product of user
 * and movie factors (movie factors mostly from genre directions, so movies of
 * a genre cluster) + Gaussian noise. The latent value is cut into half stars at
 * its quantiles so that the histogram equals ML-20M's. The noise floor is the
 * RMSE of E[rating | clean score], the best any model can do.
 *
 * <p>Scaling ({@code ratings} below the full 20,000,263): users scale linearly
 * so that ratings per user keep their distribution; movies scale with the
 * square root of the count (at least enough for the most active users), so a
 * small twin is dense enough to learn from; movie ids keep their spread.
 *
 * <p>Deterministic by seed whatever the number of threads: every user and
 * every movie draws from its own random stream.
 */
public final class SyntheticMovieLens {
    public static final long FULL_RATINGS = 20_000_263L;
    public static final long DEFAULT_SEED = 42L;
    /** Changes whenever the same (ratings, seed) would generate different data: part of the data fingerprint. */
    public static final int GENERATOR_VERSION = 1;
    public static final int FULL_USERS = 138_493;
    public static final int FULL_MOVIES = 26_744;
    public static final int FULL_MAX_MOVIE_ID = 131_262;
    public static final int MIN_RATINGS_PER_USER = 20;
    /** Below this a twin has too few users and movies to mean anything. */
    public static final long MIN_RATINGS = 10_000L;
    /** 16 bytes a rating: 6.4 GB at this size. */
    public static final long MAX_RATINGS = 400_000_000L;

    /** Ratings 0.5, 1.0, ..., 5.0 in ML-20M: its full histogram (they sum to 20,000,263). */
    static final long[] ML20M_HISTOGRAM = {
            239_125, 680_732, 279_252, 1_430_997, 883_398, 4_291_193, 2_200_156, 5_561_926, 1_534_824, 2_898_660};
    /** ML-20M's first and last timestamps (1995-01-09, 2015-03-31). */
    static final int FIRST_TIME = 789_652_009;
    static final int LAST_TIME = 1_427_784_002;

    // The planted model, latent units (the latent variance is about 1).
    static final int FACTOR_RANK = 4;
    static final double NOISE_SD = 0.78;
    static final double USER_BIAS_SD = 0.52;
    static final double MOVIE_BIAS_SD = 0.30;
    /** Popular movies are rated a little higher, as in MovieLens. */
    static final double MOVIE_BIAS_PER_POPULARITY_SD = 0.06;
    /** Per-dimension sd of user factors; movie factors have unit variance per dimension. */
    static final double USER_FACTOR_SD = 0.08;
    /** Share of a movie factor that comes from its genres' directions (the rest is its own). */
    static final double GENRE_FACTOR_SHARE = 0.8;

    // Activity and popularity, fitted by eye to ML-20M's: ratings per user min 20, median ~68,
    // mean ~144, max 9,254 (= 34.6% of the movies); ratings per movie: a flat head (top ten 50k-67k),
    // ~25k at rank 100, ~5k at rank 1,000, median 18, mean 748, a tail down to 1.
    static final double EXTRA_PER_USER_MEDIAN = 48;
    static final double EXTRA_PER_USER_LOG_SD = 1.38;
    static final double MAX_USER_SHARE_OF_MOVIES = 9_254.0 / FULL_MOVIES;
    /** Popularity at rank fraction x (0 = most popular) is exp(-DECAY * x^SHAPE). */
    static final double POPULARITY_DECAY = 12.8;
    static final double POPULARITY_SHAPE = 0.37;
    /** Higher-id (newer) movies tend to rank lower: this much of a rank key's sd across the id range. */
    static final double POPULARITY_AGE_SLOPE = 1.0;
    /** Users above this share of the movies draw them by exponential keys; below, by rejection. */
    static final double KEYED_SELECTION_SHARE = 1.0 / 24;

    /** ML-20M genres with roughly the number of its 26,744 movies in each. */
    static final String[] GENRES = {
            "Drama", "Comedy", "Thriller", "Romance", "Action", "Crime", "Horror", "Documentary", "Adventure",
            "Sci-Fi", "Mystery", "Fantasy", "War", "Children", "Musical", "Animation", "Western", "Film-Noir", "IMAX"};
    static final int[] GENRE_MOVIES = {
            13_344, 8_374, 4_178, 4_127, 3_520, 2_939, 2_611, 2_471, 2_329,
            1_743, 1_514, 1_412, 1_194, 1_139, 1_036, 1_027, 676, 330, 196};
    /** Latent bias per genre: film-noir and documentaries are rated high, horror low, as in MovieLens. */
    static final double[] GENRE_BIAS = {
            0.12, -0.08, -0.05, 0.0, -0.10, 0.10, -0.35, 0.30, 0.0,
            -0.05, 0.05, -0.02, 0.25, -0.20, 0.05, 0.15, 0.05, 0.35, 0.10};

    // Random stream families; each user and movie has its own stream within a family.
    private static final long COUNTS_STREAM = 0x5EED_C0DEL;
    private static final long MOVIE_STREAM = 0x4D4F_5649L;
    private static final long USER_STREAM = 0x5553_4552L;
    private static final long GENRE_STREAM = 0x47454E52L;
    private static final long FORCED_STREAM = 0x464F5243L;

    /** Latent values are binned over [-LATENT_RANGE, LATENT_RANGE] to find the histogram's cut points. */
    private static final double LATENT_RANGE = 8.0;
    private static final int LATENT_BINS = 1 << 16;
    private static final int EXPECTATION_POINTS = 4096;
    private static final int USERS_PER_BLOCK = 512;
    private static final int RATINGS_PER_BLOCK = 1 << 20;

    private SyntheticMovieLens() {}

    /**
     * A generated twin.
     *
     * @param ratings        the ratings, users and movies (rows follow ascending raw id)
     * @param movies         synthetic titles, years and genres for every movie id in the ratings
     * @param noiseFloorRmse RMSE of the best possible predictor, E[rating | planted clean score], on these ratings
     * @param description    one line: size, ids, seed
     */
    public record Dataset(Ratings ratings, Movies movies, double noiseFloorRmse, String description) {}

    /**
     * The size of a twin with {@code ratings} ratings.
     *
     * @param users              users, ids 1..users
     * @param movies             movies
     * @param maxMovieId         the largest movie id; ids are spread over 1..maxMovieId
     * @param ratings            ratings
     * @param maxRatingsPerUser  the most ratings one user gives
     */
    public record Shape(int users, int movies, int maxMovieId, long ratings, int maxRatingsPerUser) {
        /** @throws IllegalArgumentException when {@code ratings} is outside [MIN_RATINGS, MAX_RATINGS] */
        public static Shape of(long ratings) {
            if (ratings < MIN_RATINGS || ratings > MAX_RATINGS) {
                throw new IllegalArgumentException("synthetic ratings " + ratings + " is outside [" + MIN_RATINGS
                        + ", " + MAX_RATINGS + "]");
            }
            double scale = ratings / (double) FULL_RATINGS;
            int users = (int) Math.max(1, Math.min(ratings / MIN_RATINGS_PER_USER, Math.round(FULL_USERS * scale)));
            double meanPerUser = ratings / (double) users;
            // Room for three times the mean at the most-active cap, so the tail fits exactly.
            long enoughMovies = (long) Math.ceil(3 * meanPerUser / MAX_USER_SHARE_OF_MOVIES);
            int movies = (int) Math.max(Math.round(FULL_MOVIES * Math.sqrt(scale)), enoughMovies);
            int maxMovieId = (int) Math.max(movies, Math.round((double) FULL_MAX_MOVIE_ID * movies / FULL_MOVIES));
            int maxPerUser = (int) Math.max(MIN_RATINGS_PER_USER, Math.floor(MAX_USER_SHARE_OF_MOVIES * movies));
            return new Shape(users, movies, maxMovieId, ratings, maxPerUser);
        }
    }

    /** The full ML-20M-sized twin. */
    public static Dataset generate(long seed) {
        return generate(FULL_RATINGS, seed);
    }

    /**
     * Generates a twin with exactly {@code ratings} ratings, in parallel.
     *
     * @throws IllegalArgumentException when {@code ratings} is outside [MIN_RATINGS, MAX_RATINGS]
     */
    public static Dataset generate(long ratings, long seed) {
        Shape shape = Shape.of(ratings);
        MovieSide movies = MovieSide.draw(shape, seed);
        int[] perUser = ratingsPerUser(shape, seed);
        long[] offsets = new long[shape.users() + 1];
        for (int u = 0; u < shape.users(); u++) {
            offsets[u + 1] = offsets[u] + perUser[u];
        }
        int n = (int) ratings;
        int[] userRows = new int[n];
        int[] itemRows = new int[n];
        float[] values = new float[n];     // the latent value first, the half-star rating after quantize()
        int[] times = new int[n];
        float[] userBias = new float[shape.users()];
        float[] userFactors = new float[shape.users() * FACTOR_RANK];

        int[] forcedStart = new int[shape.users() + 1];
        int[] forced = forcedRaters(shape, offsets, seed, forcedStart);
        AliasTable popularity = new AliasTable(movies.popularity);
        int userBlocks = Parallel.blocks(shape.users(), USERS_PER_BLOCK);
        Parallel.forEachBlock(userBlocks, block -> {
            int[] stamp = new int[shape.movies()];
            int[] chosen = new int[shape.maxRatingsPerUser()];
            double[] keys = new double[shape.movies()];
            int from = block * USERS_PER_BLOCK;
            int to = Math.min(shape.users(), from + USERS_PER_BLOCK);
            for (int u = from; u < to; u++) {
                SplittableRandom random = new SplittableRandom(Parallel.mix(seed ^ USER_STREAM, u));
                float bias = (float) (USER_BIAS_SD * random.nextGaussian());
                userBias[u] = bias;
                for (int d = 0; d < FACTOR_RANK; d++) {
                    userFactors[u * FACTOR_RANK + d] = (float) (USER_FACTOR_SD * random.nextGaussian());
                }
                int count = perUser[u];
                int tag = u - from + 1;
                for (int f = forcedStart[u]; f < forcedStart[u + 1]; f++) {
                    stamp[forced[f]] = tag;
                }
                if (count > KEYED_SELECTION_SHARE * shape.movies()) {
                    chooseByKeys(count, movies.inversePopularity, random, keys, stamp, tag, chosen);
                } else {
                    int given = 0;
                    for (int f = forcedStart[u]; f < forcedStart[u + 1]; f++) {
                        chosen[given++] = forced[f];
                    }
                    chooseByRejection(given, count, popularity, random, stamp, tag, chosen);
                }
                int start = (int) offsets[u];
                long firstTime = FIRST_TIME + (long) (random.nextDouble() * (LAST_TIME - FIRST_TIME));
                // Half the users rate in one sitting; the others come back over months or years.
                double span = random.nextBoolean() ? random.nextDouble() * 3 * 3600
                        : random.nextExponential() * 400 * 86400.0;
                span = Math.min(span, LAST_TIME - firstTime);
                for (int j = 0; j < count; j++) {
                    int m = chosen[j];
                    int i = start + j;
                    userRows[i] = u;
                    itemRows[i] = m;
                    values[i] = (float) (bias + movies.cleanScore(m, userFactors, u) + NOISE_SD * random.nextGaussian());
                    double at = random.nextDouble();
                    times[i] = (int) (firstTime + (long) (span * at * at));
                }
            }
        });

        double[] cuts = histogramCuts(values);
        double noiseFloor = quantize(values, userRows, itemRows, userBias, userFactors, movies, cuts);

        Ratings r = new Ratings(userRows, itemRows, values, times, IdIndex.ofSorted(sequence(1, shape.users())),
                IdIndex.ofSorted(movies.ids));
        String description = String.format("synthetic ML-20M twin: %,d ratings, %,d users, %,d movies (ids 1..%,d), seed %d",
                ratings, shape.users(), shape.movies(), shape.maxMovieId(), seed);
        return new Dataset(r, movies.metadata(seed), noiseFloor, description);
    }

    /** Ratings per user: 20 plus a log-normal extra, capped, rescaled to sum to exactly shape.ratings(). */
    static int[] ratingsPerUser(Shape shape, long seed) {
        int users = shape.users();
        SplittableRandom random = new SplittableRandom(Parallel.mix(seed, COUNTS_STREAM));
        double[] weight = new double[users];
        for (int u = 0; u < users; u++) {
            weight[u] = EXTRA_PER_USER_MEDIAN * Math.exp(EXTRA_PER_USER_LOG_SD * random.nextGaussian());
        }
        long excess = shape.ratings() - (long) MIN_RATINGS_PER_USER * users;
        int cap = shape.maxRatingsPerUser() - MIN_RATINGS_PER_USER;
        int[] extra = new int[users];
        boolean[] capped = new boolean[users];
        // Share the excess in proportion to the weights; users whose share passes the cap get the cap
        // and the rest is shared again among the others, until nobody passes it.
        while (true) {
            double freeWeight = 0;
            long left = excess;
            for (int u = 0; u < users; u++) {
                if (capped[u]) {
                    left -= cap;
                } else {
                    freeWeight += weight[u];
                }
            }
            boolean newlyCapped = false;
            for (int u = 0; u < users; u++) {
                if (!capped[u] && left * weight[u] / freeWeight >= cap) {
                    capped[u] = true;
                    extra[u] = cap;
                    newlyCapped = true;
                }
            }
            if (!newlyCapped) {
                for (int u = 0; u < users; u++) {
                    if (!capped[u]) {
                        extra[u] = (int) Math.floor(left * weight[u] / freeWeight);
                    }
                }
                break;
            }
        }
        long given = 0;
        for (int e : extra) {
            given += e;
        }
        // Rounding left a few ratings over: one more each to users in a seeded order.
        int u = random.nextInt(users);
        while (given < excess) {
            if (extra[u] < cap) {
                extra[u]++;
                given++;
            }
            u = u + 1 == users ? 0 : u + 1;
        }
        int[] counts = new int[users];
        for (int v = 0; v < users; v++) {
            counts[v] = MIN_RATINGS_PER_USER + extra[v];
        }
        return counts;
    }

    /**
     * Every movie gets one rating from a user chosen in proportion to activity (ML-20M lists only
     * movies with a rating): movie forced[f] for f in [start[u], start[u+1]) is rated by user u.
     */
    private static int[] forcedRaters(Shape shape, long[] offsets, long seed, int[] start) {
        int movies = shape.movies();
        int[] order = sequence(0, movies);
        SplittableRandom random = new SplittableRandom(Parallel.mix(seed, FORCED_STREAM));
        for (int i = movies - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // Movie j of the shuffled order lands on the user who owns rating slot (j + 0.5) * ratings / movies.
        int u = 0;
        for (int j = 0; j < movies; j++) {
            long slot = (long) ((j + 0.5) * shape.ratings() / movies);
            while (offsets[u + 1] <= slot) {
                start[++u] = j;
            }
        }
        while (u < shape.users()) {
            start[++u] = movies;
        }
        return order;
    }

    /** count distinct movies, chosen[0..given) already in and stamped, the rest by successive sampling; sorted. */
    private static void chooseByRejection(int given, int count, AliasTable popularity, SplittableRandom random,
                                          int[] stamp, int tag, int[] chosen) {
        int got = given;
        while (got < count) {
            int m = popularity.draw(random);
            if (stamp[m] != tag) {
                stamp[m] = tag;
                chosen[got++] = m;
            }
        }
        Arrays.sort(chosen, 0, count);
    }

    /**
     * The same distribution as rejection (Efraimidis and Spirakis: the count smallest of Exp(1) / weight),
     * for users who rate so many movies that rejection would mostly draw movies they already have.
     */
    private static void chooseByKeys(int count, double[] inverseWeight, SplittableRandom random, double[] keys,
                                     int[] stamp, int tag, int[] chosen) {
        int movies = inverseWeight.length;
        for (int m = 0; m < movies; m++) {
            // Forced movies (stamped) get the smallest key: always in.
            keys[m] = stamp[m] == tag ? -1 : random.nextExponential() * inverseWeight[m];
        }
        double[] copy = keys.clone();
        double cut = kthSmallest(copy, count - 1);
        int got = 0;
        for (int m = 0; m < movies && got < count; m++) {
            if (keys[m] <= cut) {
                chosen[got++] = m;
            }
        }
    }

    /** The k-th smallest value (0-based) of a, reordering a (Hoare's selection). */
    static double kthSmallest(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /** Latent cut points between the ten half-star levels, at the quantiles of ML-20M's histogram. */
    private static double[] histogramCuts(float[] latent) {
        int blocks = Parallel.blocks(latent.length, RATINGS_PER_BLOCK * 4);
        long[][] partial = new long[blocks][];
        double binsPerUnit = LATENT_BINS / (2 * LATENT_RANGE);
        Parallel.forEachBlock(blocks, block -> {
            long[] bins = new long[LATENT_BINS];
            int from = block * RATINGS_PER_BLOCK * 4;
            int to = (int) Math.min(latent.length, (long) from + RATINGS_PER_BLOCK * 4);
            for (int i = from; i < to; i++) {
                int bin = (int) ((latent[i] + LATENT_RANGE) * binsPerUnit);
                bins[Math.max(0, Math.min(LATENT_BINS - 1, bin))]++;
            }
            partial[block] = bins;
        });
        long[] bins = new long[LATENT_BINS];
        for (long[] p : partial) {
            for (int b = 0; b < LATENT_BINS; b++) {
                bins[b] += p[b];
            }
        }
        long total = 0;
        for (long c : ML20M_HISTOGRAM) {
            total += c;
        }
        double[] cuts = new double[ML20M_HISTOGRAM.length - 1];
        long below = 0;
        long seen = 0;
        int bin = 0;
        for (int k = 0; k < cuts.length; k++) {
            below += ML20M_HISTOGRAM[k];
            double target = (double) below / total * latent.length;
            while (bin < LATENT_BINS && seen + bins[bin] < target) {
                seen += bins[bin++];
            }
            double inBin = bin < LATENT_BINS && bins[bin] > 0 ? (target - seen) / bins[bin] : 0;
            cuts[k] = -LATENT_RANGE + (bin + inBin) / binsPerUnit;
        }
        return cuts;
    }

    /** Replaces each latent value by its half-star rating; returns the RMSE of E[rating | clean score]. */
    private static double quantize(float[] values, int[] userRows, int[] itemRows, float[] userBias, float[] userFactors,
                                   MovieSide movies, double[] cuts) {
        double[] expected = expectedRatingTable(cuts);
        double pointsPerUnit = (EXPECTATION_POINTS - 1) / (2 * LATENT_RANGE);
        int blocks = Parallel.blocks(values.length, RATINGS_PER_BLOCK);
        double[] squaredError = new double[blocks];
        Parallel.forEachBlock(blocks, block -> {
            int from = block * RATINGS_PER_BLOCK;
            int to = (int) Math.min(values.length, (long) from + RATINGS_PER_BLOCK);
            double sum = 0;
            for (int i = from; i < to; i++) {
                int u = userRows[i];
                double clean = userBias[u] + movies.cleanScore(itemRows[i], userFactors, u);
                int level = 0;
                while (level < cuts.length && values[i] > cuts[level]) {
                    level++;
                }
                float rating = 0.5f * (level + 1);
                values[i] = rating;
                double x = Math.max(0, Math.min(EXPECTATION_POINTS - 1.000001, (clean + LATENT_RANGE) * pointsPerUnit));
                int at = (int) x;
                double best = expected[at] + (x - at) * (expected[at + 1] - expected[at]);
                sum += (rating - best) * (rating - best);
            }
            squaredError[block] = sum;
        });
        double total = 0;
        for (double s : squaredError) {
            total += s;
        }
        return Math.sqrt(total / values.length);
    }

    /** E[rating | clean score] on a grid over [-LATENT_RANGE, LATENT_RANGE], for Gaussian noise of NOISE_SD. */
    private static double[] expectedRatingTable(double[] cuts) {
        double[] table = new double[EXPECTATION_POINTS];
        for (int p = 0; p < EXPECTATION_POINTS; p++) {
            double clean = -LATENT_RANGE + p * (2 * LATENT_RANGE) / (EXPECTATION_POINTS - 1);
            double sum = 0;
            double below = 0;
            for (int level = 0; level <= cuts.length; level++) {
                double upTo = level < cuts.length ? normalCdf((cuts[level] - clean) / NOISE_SD) : 1;
                sum += 0.5 * (level + 1) * (upTo - below);
                below = upTo;
            }
            table[p] = sum;
        }
        return table;
    }

    /** The standard normal CDF, from erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }

    private static int[] sequence(int from, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = from + i;
        }
        return ids;
    }

    /** Movies: ids, popularity, biases, factors and genres, each movie from its own stream. */
    private static final class MovieSide {
        final int[] ids;
        final double[] popularity;
        final double[] inversePopularity;
        final float[] bias;
        final float[] factors;     // (movies, FACTOR_RANK)
        final int[] genreMask;     // bit g set: the movie is in GENRES[g]

        private MovieSide(int movies) {
            ids = new int[movies];
            popularity = new double[movies];
            inversePopularity = new double[movies];
            bias = new float[movies];
            factors = new float[movies * FACTOR_RANK];
            genreMask = new int[movies];
        }

        double cleanScore(int m, float[] userFactors, int u) {
            double dot = 0;
            int mu = m * FACTOR_RANK;
            int uu = u * FACTOR_RANK;
            for (int d = 0; d < FACTOR_RANK; d++) {
                dot += factors[mu + d] * userFactors[uu + d];
            }
            return bias[m] + dot;
        }

        static MovieSide draw(Shape shape, long seed) {
            int movies = shape.movies();
            MovieSide side = new MovieSide(movies);
            chooseIds(side.ids, shape.maxMovieId(), new SplittableRandom(Parallel.mix(seed, MOVIE_STREAM)));

            SplittableRandom genreRandom = new SplittableRandom(Parallel.mix(seed, GENRE_STREAM));
            double[][] genreDirection = new double[GENRES.length][FACTOR_RANK];
            for (double[] direction : genreDirection) {
                for (int d = 0; d < FACTOR_RANK; d++) {
                    direction[d] = genreRandom.nextGaussian();
                }
            }
            double genreShare = 0;
            for (int g : GENRE_MOVIES) {
                genreShare += g;
            }
            double[] rankKey = new double[movies];
            double ownShare = Math.sqrt(1 - GENRE_FACTOR_SHARE * GENRE_FACTOR_SHARE);
            for (int m = 0; m < movies; m++) {
                SplittableRandom random = new SplittableRandom(Parallel.mix(seed ^ MOVIE_STREAM, m));
                rankKey[m] = random.nextGaussian() - POPULARITY_AGE_SLOPE * m / movies;
                int mask = 0;
                for (int g = 0; g < GENRES.length; g++) {
                    if (random.nextDouble() < GENRE_MOVIES[g] / (double) FULL_MOVIES) {
                        mask |= 1 << g;
                    }
                }
                // About 1% of ML-20M's movies list no genre; the rest of the empty draws get one.
                if (mask == 0 && random.nextDouble() < 0.9) {
                    double pick = random.nextDouble() * genreShare;
                    int g = 0;
                    while (g < GENRES.length - 1 && pick >= GENRE_MOVIES[g]) {
                        pick -= GENRE_MOVIES[g++];
                    }
                    mask = 1 << g;
                }
                side.genreMask[m] = mask;
                double genreBias = 0;
                double[] fromGenres = new double[FACTOR_RANK];
                int inGenres = Integer.bitCount(mask);
                for (int g = 0; g < GENRES.length; g++) {
                    if ((mask & (1 << g)) != 0) {
                        genreBias += GENRE_BIAS[g];
                        for (int d = 0; d < FACTOR_RANK; d++) {
                            fromGenres[d] += genreDirection[g][d];
                        }
                    }
                }
                for (int d = 0; d < FACTOR_RANK; d++) {
                    double genrePart = inGenres == 0 ? random.nextGaussian() : fromGenres[d] / Math.sqrt(inGenres);
                    side.factors[m * FACTOR_RANK + d] = (float) (GENRE_FACTOR_SHARE * genrePart + ownShare * random.nextGaussian());
                }
                side.bias[m] = (float) (MOVIE_BIAS_SD * random.nextGaussian() + (inGenres == 0 ? 0 : genreBias / Math.sqrt(inGenres)));
            }
            Integer[] byKey = new Integer[movies];
            for (int m = 0; m < movies; m++) {
                byKey[m] = m;
            }
            Arrays.sort(byKey, (x, y) -> Double.compare(rankKey[y], rankKey[x]));
            double[] logWeight = new double[movies];
            double meanLog = 0;
            for (int rank = 0; rank < movies; rank++) {
                double x = (rank + 0.5) / movies;
                logWeight[byKey[rank]] = -POPULARITY_DECAY * Math.pow(x, POPULARITY_SHAPE);
                meanLog += logWeight[byKey[rank]] / movies;
            }
            double variance = 0;
            for (double w : logWeight) {
                variance += (w - meanLog) * (w - meanLog) / movies;
            }
            double sdLog = Math.sqrt(variance);
            for (int m = 0; m < movies; m++) {
                side.popularity[m] = Math.exp(logWeight[m] - meanLog);
                side.inversePopularity[m] = 1 / side.popularity[m];
                side.bias[m] += (float) (MOVIE_BIAS_PER_POPULARITY_SD * (logWeight[m] - meanLog) / sdLog);
            }
            return side;
        }

        /** movies.length distinct ids from 1..maxId, ascending, with 1 and maxId always in (selection sampling). */
        private static void chooseIds(int[] ids, int maxId, SplittableRandom random) {
            int want = ids.length;
            if (want == 1) {
                ids[0] = 1;
                return;
            }
            ids[0] = 1;
            ids[want - 1] = maxId;
            int needed = want - 2;
            int got = 1;
            for (int id = 2; id < maxId && needed > 0; id++) {
                int candidates = maxId - id;   // ids id..maxId-1
                if (random.nextInt(candidates) < needed) {
                    ids[got++] = id;
                    needed--;
                }
            }
        }

        Movies metadata(long seed) {
            Titles titles = new Titles();
            List<Movies.Movie> list = new ArrayList<>(ids.length);
            for (int m = 0; m < ids.length; m++) {
                SplittableRandom random = new SplittableRandom(Parallel.mix(seed ^ MOVIE_STREAM ^ 0x7171L, m));
                List<String> genres = new ArrayList<>();
                for (int g = 0; g < GENRES.length; g++) {
                    if ((genreMask[m] & (1 << g)) != 0) {
                        genres.add(GENRES[g]);
                    }
                }
                genres.sort(null);
                // Ids are handed out in the order movies join the catalogue: higher ids are mostly newer.
                double idShare = (double) m / ids.length;
                int year = (int) Math.round(1975 + 38 * idShare + 14 * random.nextGaussian());
                year = Math.max(1902, Math.min(2015, year));
                list.add(new Movies.Movie(ids[m], titles.next(random, genres), year, genres));
            }
            return Movies.of(list);
        }
    }

    /** Made-up titles, unique within a twin: "The Silent Harbor", "Midnight Protocol II". */
    private static final class Titles {
        private static final String[] ADJECTIVES = {
                "Silent", "Crimson", "Broken", "Golden", "Last", "Hidden", "Frozen", "Burning", "Lost", "Midnight",
                "Wild", "Dark", "Bright", "Electric", "Secret", "Savage", "Quiet", "Endless", "Distant", "Hollow",
                "Iron", "Velvet", "Scarlet", "Silver", "Restless", "Fading", "Rising", "Sleeping", "Wandering", "Shattered",
                "Little", "Great", "Strange", "Northern", "Southern", "Eternal", "Forgotten", "Lonely", "Reckless", "Gentle"};
        private static final String[] NOUNS = {
                "Harbor", "River", "Kingdom", "Protocol", "Garden", "Summer", "Winter", "Empire", "Frontier", "Horizon",
                "Station", "Valley", "Witness", "Stranger", "Promise", "Shadow", "Island", "Signal", "Voyage", "Orchard",
                "Mirror", "Highway", "Lighthouse", "Carnival", "Circus", "Machine", "Detective", "Dancer", "Outlaw", "Planet",
                "Empress", "Hunter", "Forest", "Letter", "Bridge", "Storm", "Heart", "City", "Desert", "Ocean",
                "Dream", "Engine", "Saint", "Ghost", "Tide", "Crown", "Road", "Fortress", "Song", "Canyon"};
        private static final String[] PLACES = {
                "Paris", "the North", "Tomorrow", "the Sea", "Mars", "Avalon", "Brooklyn", "the Moon", "Venice", "Texas",
                "the Valley", "Shanghai", "the Mountain", "Berlin", "the Past", "Eden", "the River", "Tokyo", "Rome", "Nowhere"};
        private static final String[] SEQUELS = {"", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X"};

        private final Set<String> used = new HashSet<>();

        String next(SplittableRandom random, List<String> genres) {
            String base = switch (random.nextInt(4)) {
                case 0 -> "The " + pick(ADJECTIVES, random) + " " + pick(NOUNS, random);
                case 1 -> pick(ADJECTIVES, random) + " " + pick(NOUNS, random);
                case 2 -> "The " + pick(NOUNS, random) + " of " + pick(PLACES, random);
                default -> pick(NOUNS, random) + (genres.contains("Documentary") ? ": A True Story" : " in " + pick(PLACES, random));
            };
            for (String sequel : SEQUELS) {
                if (used.add(base + sequel)) {
                    return base + sequel;
                }
            }
            for (int part = 11; ; part++) {
                String title = base + ": Part " + part;
                if (used.add(title)) {
                    return title;
                }
            }
        }

        private static String pick(String[] words, SplittableRandom random) {
            return words[random.nextInt(words.length)];
        }
    }

    /** Vose's alias table: O(1) draws from a discrete distribution. */
    private static final class AliasTable {
        private final double[] keep;
        private final int[] alias;

        AliasTable(double[] weights) {
            int n = weights.length;
            keep = new double[n];
            alias = new int[n];
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double[] scaled = new double[n];
            int[] small = new int[n];
            int[] large = new int[n];
            int smalls = 0;
            int larges = 0;
            for (int i = 0; i < n; i++) {
                scaled[i] = weights[i] * n / total;
                if (scaled[i] < 1) {
                    small[smalls++] = i;
                } else {
                    large[larges++] = i;
                }
            }
            while (smalls > 0 && larges > 0) {
                int s = small[--smalls];
                int l = large[--larges];
                keep[s] = scaled[s];
                alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                if (scaled[l] < 1) {
                    small[smalls++] = l;
                } else {
                    large[larges++] = l;
                }
            }
            while (larges > 0) {
                keep[large[--larges]] = 1;
            }
            while (smalls > 0) {
                keep[small[--smalls]] = 1;
            }
        }

        int draw(SplittableRandom random) {
            int i = random.nextInt(keep.length);
            return random.nextDouble() < keep[i] ? i : alias[i];
        }
    }
}
