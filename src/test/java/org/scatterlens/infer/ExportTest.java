package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.Npy;
import org.scatterlens.model.RatingModel;
import org.scatterlens.testing.TestModels;

class ExportTest {
    @TempDir
    Path tmp;

    @Test
    void projectorFilesHoldOneLinePerMovieInTheSameOrder() throws IOException {
        Export.projector(TestModels.planted(), tmp, 0);
        assertEquals(List.of("2.0\t0.0", "1.0\t0.0", "0.2\t1.0", "0.5\t0.0", "0.0\t2.0", "1.5\t1.5"),
                Files.readAllLines(tmp.resolve("vectors.tsv")));
        assertEquals(List.of("title\tgenres\trating count",
                "Toy Story (1995)\tAdventure|Animation|Children\t50",
                "Toy Story 2 (1999)\tAdventure|Animation\t40",
                "Hamlet (1948)\tDrama\t30",
                "Hamlet (1996)\tDrama\t20",
                "American President, The (1995)\tComedy|Drama|Romance\t10",
                "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)\tComedy|Romance\t2"),
                Files.readAllLines(tmp.resolve("metadata.tsv")));
    }

    @Test
    void projectorMinRatingsAndMoviesWithoutTitles() throws IOException {
        Export.projector(TestModels.tower(), tmp, 5);
        assertEquals(List.of("0.25"), Files.readAllLines(tmp.resolve("vectors.tsv")));
        assertEquals(List.of("title\tgenres\trating count", "movie 10\t\t7"), Files.readAllLines(tmp.resolve("metadata.tsv")));
    }

    @Test
    void npyTablesReadBack() throws IOException {
        RatingModel m = TestModels.random(2, ModelConfig.matrixFactorization(3), 4, 5);
        List<Path> files = Export.npy(m, tmp);
        assertEquals(List.of("user_embedding.npy", "movie_embedding.npy", "user_bias.npy", "movie_bias.npy",
                "user_ids.npy", "movie_ids.npy", "movie_counts.npy"), files.stream().map(p -> p.getFileName().toString()).toList());
        assertArrayEquals(m.itemTable(), Npy.readFloats(tmp.resolve("movie_embedding.npy"), 5, 3));
        assertArrayEquals(m.userBias(), Npy.readFloats(tmp.resolve("user_bias.npy"), 4));
        assertArrayEquals(new int[] {1, 4, 7, 10, 13}, Npy.readInts(tmp.resolve("movie_ids.npy"), 5));
    }
}
