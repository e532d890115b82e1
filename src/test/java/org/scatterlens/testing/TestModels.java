package org.scatterlens.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.scatterlens.data.IdIndex;
import org.scatterlens.data.Movies;
import org.scatterlens.model.DenseLayer;
import org.scatterlens.model.EpochRecord;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.RatedMovies;
import org.scatterlens.model.RatingModel;

/** Small rating models built in code: seeded random ones, and planted ones whose answers are known. */
public final class TestModels {
    private TestModels() {}

    /** Raw user ids of {@link #random}: 10, 20, 30, ... (not equal to rows, as in real data). */
    public static int userId(int row) {
        return 10 * (row + 1);
    }

    /** Raw movie ids of {@link #random}: 1, 4, 7, ... */
    public static int movieId(int row) {
        return 3 * row + 1;
    }

    /**
     * A model of {@code config} with seeded random tables and layers, ids from {@link #userId}/{@link #movieId},
     * titles "Movie r" with years and genres, a 3-epoch history (one value NaN), provenance with baselines,
     * rating counts 100, 99, 98, ... and rated-movie lists.
     */
    public static RatingModel random(long seed, ModelConfig config, int nUsers, int nItems) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] userTable = uniform(random, nUsers * config.userDim());
        float[] itemTable = uniform(random, nItems * config.itemDim());
        float[] userBias = config.userBias() ? uniform(random, nUsers) : new float[0];
        float[] itemBias = config.itemBias() ? uniform(random, nItems) : new float[0];
        List<DenseLayer> layers = new ArrayList<>();
        int[] widths = config.layerWidths();
        for (int l = 0; l + 1 < widths.length; l++) {
            ModelConfig.Activation act = l + 2 == widths.length ? ModelConfig.Activation.LINEAR : config.activation();
            layers.add(new DenseLayer(widths[l], widths[l + 1], uniform(random, widths[l] * widths[l + 1]),
                    uniform(random, widths[l + 1]), act));
        }
        int[] userIds = new int[nUsers];
        for (int u = 0; u < nUsers; u++) {
            userIds[u] = userId(u);
        }
        int[] itemIds = new int[nItems];
        int[] counts = new int[nItems];
        List<Movies.Movie> movies = new ArrayList<>();
        String[] genres = {"Action", "Comedy", "Drama", "Animation", "Horror"};
        for (int i = 0; i < nItems; i++) {
            itemIds[i] = movieId(i);
            counts[i] = Math.max(100 - i, 0);
            movies.add(new Movies.Movie(itemIds[i], "Movie " + i, 1990 + i % 30,
                    List.of(genres[i % genres.length], genres[(i + 2) % genres.length])));
        }
        List<EpochRecord> history = List.of(
                new EpochRecord(1, 1.5, 1.0e6, 0.9, 0.75, 0.85, 0.92, 0.73),
                new EpochRecord(2, 1.25, 1.2e6, 0.8, 0.70, 0.82, 0.905, 0.71),
                new EpochRecord(3, 1.125, 1.3e6, 0.75, 0.68, Double.NaN, 0.9, 0.70));
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("data", "test model, seed " + seed);
        provenance.put("data.fingerprint", "sha256:" + Long.toHexString(seed));
        provenance.put("seed", Long.toString(seed));
        provenance.put("baseline.globalMean.valMae", "0.84");
        provenance.put("baseline.movieMean.valMae", "0.78");
        RatingModel model = new RatingModel(config, IdIndex.ofSorted(userIds), IdIndex.ofSorted(itemIds), userTable,
                itemTable, userBias, itemBias, layers, 3.5f, 0.5f, 5f, history, provenance, Movies.of(movies), counts);
        int pairs = nUsers * 3;
        int[] userRows = new int[pairs];
        int[] itemRows = new int[pairs];
        for (int k = 0; k < pairs; k++) {
            userRows[k] = k % nUsers;
            itemRows[k] = random.nextInt(nItems);
        }
        return model.withRatedMovies(RatedMovies.of(nUsers, userRows, itemRows));
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextDouble() - 0.5);
        }
        return out;
    }

    /**
     * A matrix-factorization model (dim 2, mean 3, range [1, 5], no biases) with planted embeddings.
     * Users 1 = (1, 0), 2 = (0, 1). Movies (id: embedding, ratings, title, year):
     * 1: (2, 0) 50 "Toy Story" 1995; 2: (1, 0) 40 "Toy Story 2" 1999; 3: (0.2, 1) 30 "Hamlet" 1948;
     * 4: (0.5, 0) 20 "Hamlet" 1996; 7: (0, 2) 10 "American President, The" 1995;
     * 9: (1.5, 1.5) 2 "Amélie (Fabuleux destin d'Amélie Poulain, Le)" 2001.
     * User 1 predicts 5, 4, 3.2, 3.5, 3, 4.5 and rated movie 1, so its recommendations are 9, 2, 4, 3, 7.
     * Movie 3's nearest are 7 (cosine 0.981), 9 (0.832), then 1, 2, 4 (0.196 each).
     */
    public static RatingModel planted() {
        ModelConfig config = ModelConfig.matrixFactorization(2).withBiases(false, false);
        int[] movieIds = {1, 2, 3, 4, 7, 9};
        float[] items = {2, 0, 1, 0, 0.2f, 1, 0.5f, 0, 0, 2, 1.5f, 1.5f};
        int[] counts = {50, 40, 30, 20, 10, 2};
        List<Movies.Movie> movies = List.of(
                new Movies.Movie(1, "Toy Story", 1995, List.of("Adventure", "Animation", "Children")),
                new Movies.Movie(2, "Toy Story 2", 1999, List.of("Adventure", "Animation")),
                new Movies.Movie(3, "Hamlet", 1948, List.of("Drama")),
                new Movies.Movie(4, "Hamlet", 1996, List.of("Drama")),
                new Movies.Movie(7, "American President, The", 1995, List.of("Comedy", "Drama", "Romance")),
                new Movies.Movie(9, "Amélie (Fabuleux destin d'Amélie Poulain, Le)", 2001, List.of("Comedy", "Romance")));
        RatingModel model = new RatingModel(config, IdIndex.ofSorted(new int[] {1, 2}), IdIndex.ofSorted(movieIds),
                new float[] {1, 0, 0, 1}, items, new float[0], new float[0], List.of(), 3f, 1f, 5f, List.of(),
                Map.of(), Movies.of(movies), counts);
        return model.withRatedMovies(RatedMovies.of(2, new int[] {0}, new int[] {0}));
    }

    /**
     * The tutorial's tower shape in miniature, weights by hand: user and movie embeddings of width 1,
     * Dense 2 relu with W = [[1, -1], [1, 1]], b = [0, 0.5], then Dense 1 linear with W = [[1], [-2]], b = [0.25];
     * mean 3, range [0.5, 5]. For user u, movie v: h = relu(u + v, -u + v + 0.5); y = h0 - 2 h1 + 0.25 + 3.
     * Users 5 = 0.5, 6 = -1; movies 10 = 0.25, 11 = 2. Predictions: (5, 10) = 3.5; (5, 11) = 1.75;
     * (6, 10) = -0.25, clipped to 0.5; (6, 11) = -2.75, clipped to 0.5.
     */
    public static RatingModel tower() {
        ModelConfig config = new ModelConfig(ModelConfig.Architecture.TOWER, 1, 1, List.of(2), ModelConfig.Activation.RELU,
                false, false, ModelConfig.EmbeddingInit.UNIFORM, 0f, 0f);
        List<DenseLayer> layers = List.of(
                new DenseLayer(2, 2, new float[] {1, -1, 1, 1}, new float[] {0, 0.5f}, ModelConfig.Activation.RELU),
                new DenseLayer(2, 1, new float[] {1, -2}, new float[] {0.25f}, ModelConfig.Activation.LINEAR));
        return new RatingModel(config, IdIndex.ofSorted(new int[] {5, 6}), IdIndex.ofSorted(new int[] {10, 11}),
                new float[] {0.5f, -1f}, new float[] {0.25f, 2f}, new float[0], new float[0], layers, 3f, 0.5f, 5f,
                List.of(), Map.of(), Movies.empty(), new int[] {7, 3});
    }

    /**
     * A model that looks trained: each movie's embedding is its main genre's centre plus noise, so that
     * movies of a genre cluster; Zipf-like rating counts; titles "Title i" with a few famous ones first;
     * a 10-epoch history that improves and then overfits; baselines in the provenance.
     */
    public static RatingModel clustered(long seed, int nUsers, int nItems) {
        SplittableRandom random = new SplittableRandom(seed);
        ModelConfig config = ModelConfig.tutorial();
        RatingModel base = random(seed, config, nUsers, nItems);
        String[] genres = {"Drama", "Comedy", "Action", "Thriller", "Romance", "Horror", "Animation", "Documentary",
                "Sci-Fi", "Children", "Western", "Musical"};
        String[] famous = {"Pulp Fiction", "Forrest Gump", "Shawshank Redemption, The", "Silence of the Lambs, The",
                "Jurassic Park", "Star Wars: Episode IV - A New Hope", "Braveheart", "Terminator 2: Judgment Day",
                "Matrix, The", "Schindler's List", "Toy Story", "Fugue in the Dark", "Usual Suspects, The",
                "Fight Club", "Raiders of the Lost Ark", "American Beauty", "Independence Day", "Fargo",
                "Seven (a.k.a. Se7en)", "Apollo 13", "Godfather, The", "Aladdin", "Batman", "Lion King, The"};
        int d = config.itemDim();
        float[][] centres = new float[genres.length][d];
        for (float[] c : centres) {
            for (int k = 0; k < d; k++) {
                c[k] = (float) (random.nextGaussian() * 0.6);
            }
        }
        float[] items = new float[nItems * d];
        int[] counts = new int[nItems];
        List<Movies.Movie> movies = new ArrayList<>();
        for (int i = 0; i < nItems; i++) {
            int g = (int) Math.min(genres.length - 1, Math.abs(random.nextGaussian()) * 4);
            for (int k = 0; k < d; k++) {
                items[i * d + k] = centres[g][k] + (float) (random.nextGaussian() * 0.25);
            }
            counts[i] = (int) (60_000 / Math.pow(i + 1, 0.9));
            String title = i < famous.length ? famous[i] : "Title " + i;
            List<String> gs = g == 0 ? List.of("Drama") : List.of("Drama", genres[g]);
            movies.add(new Movies.Movie(movieId(i), title, 1960 + random.nextInt(55), gs));
        }
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= 10; e++) {
            double train = 0.62 + 0.25 * Math.exp(-0.6 * (e - 1));
            double val = 0.66 + 0.2 * Math.exp(-0.7 * (e - 1)) + 0.004 * e;
            history.add(new EpochRecord(e, 6.5, 2.9e6, train * train * 1.5, train, val * val * 1.5, val * 1.25, val));
        }
        Map<String, String> provenance = new LinkedHashMap<>(base.provenance());
        provenance.put("baseline.movieMean.valMae", "0.7581");
        provenance.put("baseline.globalMean.valMae", "0.8412");
        return new RatingModel(config, base.users(), base.items(), base.userTable(), items, new float[0], new float[0],
                base.layers(), 3.53f, 0.5f, 5f, history, provenance, Movies.of(movies), counts)
                .withRatedMovies(base.ratedMovies().orElseThrow());
    }
}
