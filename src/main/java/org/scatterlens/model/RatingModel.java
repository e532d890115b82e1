package org.scatterlens.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.scatterlens.data.IdIndex;
import org.scatterlens.data.Movies;

/**
 * A trained rating model on the host: embedding tables, optional biases, the
 * dense tower's layers, the id maps, the training mean and the rating range.
 * Predicting needs nothing else: no ND4J, no native code, no GPU.
 *
 * <p>prediction = f(user row, movie row) + user bias + movie bias + mean, where
 * f is the tower (TOWER) or the dot product of the two embeddings (DOT).
 */
public final class RatingModel {
    private final ModelConfig config;
    private final IdIndex users;
    private final IdIndex items;
    private final float[] userTable;   // (nUsers, userDim)
    private final float[] itemTable;   // (nItems, itemDim)
    private final float[] userBias;    // (nUsers), or empty when config.userBias() is false
    private final float[] itemBias;    // (nItems), or empty when config.itemBias() is false
    private final List<DenseLayer> layers;
    private final float mean;
    private final float minRating;
    private final float maxRating;
    private final List<EpochRecord> history;
    private final Map<String, String> provenance;
    private final Movies movies;
    private final int[] itemRatingCounts;  // (nItems) training ratings per movie
    private final RatedMovies ratedMovies; // which movies each user rated; null when not kept

    /**
     * @param provenance       where it came from: data description and fingerprint, seed, split, baselines
     *                         (kept in order; see docs/model-format.md for the keys)
     * @param movies           titles, years and genres of the movies, by raw id; may be empty
     * @param itemRatingCounts (nItems) training ratings per movie row, for "hide obscure movies"
     * @throws IllegalArgumentException when a shape disagrees with the config or the id maps
     */
    public RatingModel(ModelConfig config, IdIndex users, IdIndex items, float[] userTable, float[] itemTable,
                       float[] userBias, float[] itemBias, List<DenseLayer> layers, float mean,
                       float minRating, float maxRating, List<EpochRecord> history, Map<String, String> provenance,
                       Movies movies, int[] itemRatingCounts) {
        this(config, users, items, userTable, itemTable, userBias, itemBias, layers, mean, minRating, maxRating,
                history, provenance, movies, itemRatingCounts, null);
    }

    private RatingModel(ModelConfig config, IdIndex users, IdIndex items, float[] userTable, float[] itemTable,
                        float[] userBias, float[] itemBias, List<DenseLayer> layers, float mean,
                        float minRating, float maxRating, List<EpochRecord> history, Map<String, String> provenance,
                        Movies movies, int[] itemRatingCounts, RatedMovies ratedMovies) {
        this.config = Objects.requireNonNull(config, "config");
        this.users = Objects.requireNonNull(users, "users");
        this.items = Objects.requireNonNull(items, "items");
        this.userTable = Objects.requireNonNull(userTable, "userTable");
        this.itemTable = Objects.requireNonNull(itemTable, "itemTable");
        this.userBias = Objects.requireNonNull(userBias, "userBias");
        this.itemBias = Objects.requireNonNull(itemBias, "itemBias");
        this.layers = List.copyOf(layers);
        this.mean = mean;
        this.minRating = minRating;
        this.maxRating = maxRating;
        this.history = List.copyOf(history);
        this.provenance = new LinkedHashMap<>(provenance);
        this.movies = Objects.requireNonNull(movies, "movies");
        this.itemRatingCounts = Objects.requireNonNull(itemRatingCounts, "itemRatingCounts");
        requireLength("movie rating counts", itemRatingCounts.length, items.size());
        requireLength("user table", userTable.length, (long) users.size() * config.userDim());
        requireLength("movie table", itemTable.length, (long) items.size() * config.itemDim());
        requireLength("user biases", userBias.length, config.userBias() ? users.size() : 0);
        requireLength("movie biases", itemBias.length, config.itemBias() ? items.size() : 0);
        int[] widths = config.layerWidths();
        int expectedLayers = Math.max(widths.length - 1, 0);
        if (this.layers.size() != expectedLayers) {
            throw new IllegalArgumentException("model has " + this.layers.size() + " dense layers, config needs " + expectedLayers);
        }
        for (int l = 0; l < this.layers.size(); l++) {
            DenseLayer layer = this.layers.get(l);
            if (layer.in() != widths[l] || layer.out() != widths[l + 1]) {
                throw new IllegalArgumentException("dense layer " + l + " is (" + layer.in() + ", " + layer.out()
                        + "), config needs (" + widths[l] + ", " + widths[l + 1] + ")");
            }
        }
        if (!(minRating <= maxRating)) {
            throw new IllegalArgumentException("rating range [" + minRating + ", " + maxRating + "] is empty");
        }
        this.ratedMovies = ratedMovies;
        if (ratedMovies != null) {
            requireLength("rated-movie lists", ratedMovies.users(), users.size());
            for (int row : ratedMovies.movieRows()) {
                if (row < 0 || row >= items.size()) {
                    throw new IllegalArgumentException("rated-movie lists name movie row " + row + ", outside [0, "
                            + items.size() + ")");
                }
            }
        }
    }

    private static void requireLength(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has " + actual + " values, the config and id maps need " + expected);
        }
    }

    public ModelConfig config() {
        return config;
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    /** (nUsers, userDim) row-major; the model's own array. */
    public float[] userTable() {
        return userTable;
    }

    /** (nItems, itemDim) row-major; the model's own array. */
    public float[] itemTable() {
        return itemTable;
    }

    public float[] userBias() {
        return userBias;
    }

    public float[] itemBias() {
        return itemBias;
    }

    public List<DenseLayer> layers() {
        return layers;
    }

    /** The training ratings' mean; the network predicts rating - mean. */
    public float mean() {
        return mean;
    }

    public float minRating() {
        return minRating;
    }

    public float maxRating() {
        return maxRating;
    }

    public List<EpochRecord> history() {
        return history;
    }

    public Map<String, String> provenance() {
        return new LinkedHashMap<>(provenance);
    }

    public Movies movies() {
        return movies;
    }

    /** (nItems) training ratings per movie row; the model's own array. */
    public int[] itemRatingCounts() {
        return itemRatingCounts;
    }

    public RatingModel withHistory(List<EpochRecord> value) {
        return new RatingModel(config, users, items, userTable, itemTable, userBias, itemBias, layers, mean,
                minRating, maxRating, value, provenance, movies, itemRatingCounts, ratedMovies);
    }

    public RatingModel withProvenance(Map<String, String> value) {
        return new RatingModel(config, users, items, userTable, itemTable, userBias, itemBias, layers, mean,
                minRating, maxRating, history, value, movies, itemRatingCounts, ratedMovies);
    }

    public RatingModel withMovies(Movies value) {
        return new RatingModel(config, users, items, userTable, itemTable, userBias, itemBias, layers, mean,
                minRating, maxRating, history, provenance, value, itemRatingCounts, ratedMovies);
    }

    /**
     * This model with the lists of movies each user rated (for recommendations that leave them out).
     * Pass every rating of the data set, training and validation: {@link RatedMovies#of(org.scatterlens.data.Ratings)}.
     * {@code null} drops them.
     */
    public RatingModel withRatedMovies(RatedMovies value) {
        return new RatingModel(config, users, items, userTable, itemTable, userBias, itemBias, layers, mean,
                minRating, maxRating, history, provenance, movies, itemRatingCounts, value);
    }

    /** Which movies each user rated, when the trainer kept them. */
    public Optional<RatedMovies> ratedMovies() {
        return Optional.ofNullable(ratedMovies);
    }

    /** The network's output for (user row, movie row), before the mean and clipping. */
    public float centeredPrediction(int userRow, int itemRow) {
        int du = config.userDim();
        int di = config.itemDim();
        float y;
        if (config.architecture() == ModelConfig.Architecture.DOT) {
            float dot = 0f;
            for (int d = 0; d < du; d++) {
                dot += userTable[userRow * du + d] * itemTable[itemRow * di + d];
            }
            y = dot;
        } else {
            float[] x = new float[du + di];
            System.arraycopy(userTable, userRow * du, x, 0, du);
            System.arraycopy(itemTable, itemRow * di, x, du, di);
            for (DenseLayer layer : layers) {
                float[] next = new float[layer.out()];
                layer.forward(x, next);
                x = next;
            }
            y = x[0];
        }
        if (config.userBias()) {
            y += userBias[userRow];
        }
        if (config.itemBias()) {
            y += itemBias[itemRow];
        }
        return y;
    }

    /** The predicted rating for (user row, movie row), unclipped. */
    public float predictRows(int userRow, int itemRow) {
        return centeredPrediction(userRow, itemRow) + mean;
    }

    /** Clipped to [minRating, maxRating]. */
    public float clip(float rating) {
        return Math.max(minRating, Math.min(maxRating, rating));
    }

    /**
     * The clipped prediction for raw ids as in the data.
     *
     * @throws IllegalArgumentException naming the id the model does not know
     */
    public float predict(int rawUser, int rawItem) {
        int u = users.row(rawUser);
        if (u < 0) {
            throw new IllegalArgumentException("unknown user " + rawUser + " (the model knows " + users.size() + " users)");
        }
        int i = items.row(rawItem);
        if (i < 0) {
            throw new IllegalArgumentException("unknown movie " + rawItem + " (the model knows " + items.size() + " movies)");
        }
        return clip(predictRows(u, i));
    }
}
