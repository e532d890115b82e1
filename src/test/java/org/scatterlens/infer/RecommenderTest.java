package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scatterlens.data.IdIndex;
import org.scatterlens.data.Movies;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.RatingModel;
import org.scatterlens.testing.TestModels;

class RecommenderTest {
    private static List<Integer> ids(List<Recommender.Scored> scored) {
        return scored.stream().map(Recommender.Scored::rawId).toList();
    }

    @Test
    void recommendsTheHighestPredictedUnratedMovies() {
        RatingModel m = TestModels.planted();
        List<Recommender.Scored> best = Recommender.recommend(m, 1, 3, 0, Predictions.ratedRows(m, 0));
        assertEquals(List.of(9, 2, 4), ids(best));
        assertEquals(4.5f, best.get(0).score(), 1e-6f);
        assertEquals(4.0f, best.get(1).score(), 1e-6f);
        assertEquals(3.5f, best.get(2).score(), 1e-6f);
    }

    @Test
    void withoutExclusionsTheRatedMovieComesFirstClipped() {
        RatingModel m = TestModels.planted();
        List<Recommender.Scored> best = Recommender.recommend(m, 1, 10, 0, new BitSet());
        assertEquals(List.of(1, 9, 2, 4, 3, 7), ids(best));
        assertEquals(5f, best.get(0).score(), "3 + 2 = 5 is the top of the range");
    }

    @Test
    void clippedScoresKeepTheirUnclippedOrder() {
        // Both movies clip to 5, but movie 2 (3 + 4) beats movie 1 (3 + 2.5).
        RatingModel m = new RatingModel(ModelConfig.matrixFactorization(1).withBiases(false, false),
                IdIndex.ofSorted(new int[] {1}), IdIndex.ofSorted(new int[] {1, 2}), new float[] {1}, new float[] {2.5f, 4},
                new float[0], new float[0], List.of(), 3f, 1f, 5f, List.of(), Map.of(), Movies.empty(), new int[] {1, 1});
        List<Recommender.Scored> best = Recommender.recommend(m, 1, 2, 0, new BitSet());
        assertEquals(List.of(2, 1), ids(best));
        assertEquals(5f, best.get(0).score());
        assertEquals(5f, best.get(1).score());
    }

    @Test
    void minRatingsHidesObscureMovies() {
        RatingModel m = TestModels.planted();
        assertEquals(List.of(2, 4, 3), ids(Recommender.recommend(m, 1, 10, 15, Predictions.ratedRows(m, 0))));
        assertEquals(List.of(), Recommender.recommend(m, 1, 0, 0, new BitSet()));
    }

    @Test
    void unknownUserNamesTheIdAndWhatTheModelKnows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recommender.recommend(TestModels.planted(), 99, 3, 0, new BitSet()));
        assertEquals("unknown user 99: the model knows 2 users (ids 1..2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recommender.movieRow(TestModels.planted(), 5));
        assertEquals("unknown movie id 5: the model knows 6 movies (ids 1..9)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recommender.recommend(TestModels.planted(), 1, -1, 0, new BitSet()));
        assertEquals("--top -1 must be >= 0", e.getMessage());
    }

    @Test
    void similarRanksByCosine() {
        RatingModel m = TestModels.planted();
        List<Recommender.Scored> near = Recommender.similar(m, m.items().row(3), 5, 0);
        assertEquals(List.of(7, 9, 1, 2, 4), ids(near), "ties (0.196) go to the lower row");
        assertEquals(1 / Math.sqrt(1.04), near.get(0).score(), 1e-6);
        assertEquals(1.8 / (Math.sqrt(1.04) * Math.sqrt(4.5)), near.get(1).score(), 1e-6);
        assertEquals(0.2 / Math.sqrt(1.04), near.get(2).score(), 1e-6);
    }

    @Test
    void similarHidesObscureMoviesAndNeverTheQuery() {
        RatingModel m = TestModels.planted();
        assertEquals(List.of(1, 2, 4), ids(Recommender.similar(m, m.items().row(3), 5, 11)), "7 (10 ratings) and 9 (2) hidden");
        assertEquals(List.of(2, 4, 9, 3, 7), ids(Recommender.similar(m, m.items().row(1), 5, 0)));
    }

    @Test
    void aZeroEmbeddingIsSimilarToNothing() {
        RatingModel m = new RatingModel(ModelConfig.matrixFactorization(2), IdIndex.ofSorted(new int[] {1}),
                IdIndex.ofSorted(new int[] {1, 2, 3}), new float[2], new float[] {0, 0, 1, 0, 0, 1}, new float[1],
                new float[3], List.of(), 3f, 1f, 5f, List.of(), Map.of(), Movies.empty(), new int[3]);
        List<Recommender.Scored> near = Recommender.similar(m, 0, 2, 0);
        assertEquals(List.of(2, 3), ids(near));
        assertEquals(0f, near.get(0).score());
    }
}
