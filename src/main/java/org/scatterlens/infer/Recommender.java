package org.scatterlens.infer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.scatterlens.data.IdIndex;
import org.scatterlens.model.RatingModel;

/**
 * Rankings over all movies of a model: the best unrated movies for a user
 * (by predicted rating) and the nearest movies to a movie (by cosine
 * similarity of their embeddings). Pure Java on the host model: no GPU.
 */
public final class Recommender {
    /**
     * One ranked movie.
     *
     * @param row   the movie's row in the model
     * @param rawId the movie's id as in the data
     * @param score predicted rating, clipped to the model's range (recommend); cosine similarity (similar)
     */
    public record Scored(int row, int rawId, float score) {}

    private Recommender() {}

    /**
     * The {@code topN} movies with the highest predicted rating for {@code rawUser}, best first,
     * leaving out {@code excludedRows} and movies with fewer than {@code minRatings} training ratings.
     * Ranked by the unclipped prediction, so that movies clipped to the top of the range keep their order;
     * ties go to the lower row.
     *
     * @param excludedRows movie rows to leave out (the user's rated movies); may be empty
     * @throws IllegalArgumentException for an unknown user or a negative {@code topN} / {@code minRatings}
     */
    public static List<Scored> recommend(RatingModel model, int rawUser, int topN, int minRatings, BitSet excludedRows) {
        requireCounts(topN, minRatings);
        int u = userRow(model, rawUser);
        int nItems = model.items().size();
        float[] unclipped = new float[nItems];
        TopN top = new TopN(topN, unclipped);
        int[] counts = model.itemRatingCounts();
        for (int i = 0; i < nItems; i++) {
            if (excludedRows.get(i) || counts[i] < minRatings) {
                continue;
            }
            unclipped[i] = model.predictRows(u, i);
            top.offer(i);
        }
        List<Scored> out = new ArrayList<>();
        for (int i : top.best()) {
            out.add(new Scored(i, model.items().rawId(i), model.clip(unclipped[i])));
        }
        return out;
    }

    /**
     * The {@code topN} movies whose embeddings have the highest cosine similarity with movie row
     * {@code movieRow}'s, nearest first, leaving out the movie itself and movies with fewer than
     * {@code minRatings} training ratings. A zero embedding has similarity 0 with everything.
     *
     * @throws IllegalArgumentException for a row outside the model or a negative {@code topN} / {@code minRatings}
     */
    public static List<Scored> similar(RatingModel model, int movieRow, int topN, int minRatings) {
        requireCounts(topN, minRatings);
        int nItems = model.items().size();
        if (movieRow < 0 || movieRow >= nItems) {
            throw new IllegalArgumentException("movie row " + movieRow + " is outside [0, " + nItems + ")");
        }
        int d = model.config().itemDim();
        float[] table = model.itemTable();
        double queryNorm = norm(table, movieRow, d);
        float[] cosine = new float[nItems];
        TopN top = new TopN(topN, cosine);
        int[] counts = model.itemRatingCounts();
        for (int i = 0; i < nItems; i++) {
            if (i == movieRow || counts[i] < minRatings) {
                continue;
            }
            double dot = 0;
            for (int k = 0; k < d; k++) {
                dot += (double) table[movieRow * d + k] * table[i * d + k];
            }
            double n = queryNorm * norm(table, i, d);
            cosine[i] = n == 0 ? 0f : (float) (dot / n);
            top.offer(i);
        }
        List<Scored> out = new ArrayList<>();
        for (int i : top.best()) {
            out.add(new Scored(i, model.items().rawId(i), cosine[i]));
        }
        return out;
    }

    /** The model row of {@code rawUser}. @throws IllegalArgumentException naming the unknown user */
    public static int userRow(RatingModel model, int rawUser) {
        int u = model.users().row(rawUser);
        if (u < 0) {
            throw new IllegalArgumentException("unknown user " + rawUser + ": the model knows " + known(model.users(), "users"));
        }
        return u;
    }

    /** The model row of {@code rawMovie}. @throws IllegalArgumentException naming the unknown movie */
    public static int movieRow(RatingModel model, int rawMovie) {
        int i = model.items().row(rawMovie);
        if (i < 0) {
            throw new IllegalArgumentException("unknown movie id " + rawMovie + ": the model knows " + known(model.items(), "movies")
                    + (model.movies().get(rawMovie).map(m -> "; " + m.displayTitle() + " had no training ratings").orElse("")));
        }
        return i;
    }

    /** "610 users (ids 1..610)". */
    private static String known(IdIndex ids, String what) {
        int n = ids.size();
        return n + " " + what + (n == 0 ? "" : " (ids " + ids.rawId(0) + ".." + ids.rawId(n - 1) + ")");
    }

    private static void requireCounts(int topN, int minRatings) {
        if (topN < 0) {
            throw new IllegalArgumentException("--top " + topN + " must be >= 0");
        }
        if (minRatings < 0) {
            throw new IllegalArgumentException("--min-ratings " + minRatings + " must be >= 0");
        }
    }

    private static double norm(float[] table, int row, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double v = table[row * d + k];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** The n rows with the highest score, kept in a min-heap: O(rows log n). Ties go to the lower row. */
    private static final class TopN {
        private final int n;
        private final Comparator<Integer> worstFirst;
        private final PriorityQueue<Integer> heap;

        TopN(int n, float[] score) {
            this.n = n;
            Comparator<Integer> byScore = Comparator.comparingDouble(r -> score[r]);
            this.worstFirst = byScore.thenComparing(Comparator.<Integer>reverseOrder());
            this.heap = new PriorityQueue<>(Math.max(n, 1), worstFirst);
        }

        void offer(int row) {
            if (n == 0) {
                return;
            }
            if (heap.size() < n) {
                heap.add(row);
            } else if (worstFirst.compare(row, heap.peek()) > 0) {
                heap.poll();
                heap.add(row);
            }
        }

        List<Integer> best() {
            List<Integer> out = new ArrayList<>(heap);
            out.sort(worstFirst.reversed());
            return out;
        }
    }
}
