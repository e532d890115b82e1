package org.scatterlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.testing.TestModels;

class ModelStoreTest {
    @TempDir
    Path tmp;

    private static RatingModel towerWithBiases() {
        ModelConfig config = ModelConfig.tutorial().withBiases(true, true).withL2(1e-4f, 3e-5f);
        return TestModels.random(7, config, 40, 25);
    }

    static void assertSameModel(RatingModel expected, RatingModel actual) {
        assertEquals(expected.config(), actual.config());
        assertEquals(expected.users(), actual.users());
        assertEquals(expected.items(), actual.items());
        assertBits("user table", expected.userTable(), actual.userTable());
        assertBits("movie table", expected.itemTable(), actual.itemTable());
        assertBits("user bias", expected.userBias(), actual.userBias());
        assertBits("movie bias", expected.itemBias(), actual.itemBias());
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int l = 0; l < expected.layers().size(); l++) {
            DenseLayer e = expected.layers().get(l);
            DenseLayer a = actual.layers().get(l);
            assertEquals(e.in(), a.in());
            assertEquals(e.out(), a.out());
            assertEquals(e.activation(), a.activation(), "layer " + l + " activation");
            assertBits("layer " + l + " W", e.weights(), a.weights());
            assertBits("layer " + l + " b", e.bias(), a.bias());
        }
        assertEquals(Float.floatToRawIntBits(expected.mean()), Float.floatToRawIntBits(actual.mean()), "mean");
        assertEquals(expected.minRating(), actual.minRating());
        assertEquals(expected.maxRating(), actual.maxRating());
        assertEquals(expected.history(), actual.history());
        assertEquals(expected.provenance(), actual.provenance());
        assertEquals(expected.movies().all(), actual.movies().all());
        assertArrayEquals(expected.itemRatingCounts(), actual.itemRatingCounts());
        assertEquals(expected.ratedMovies().isPresent(), actual.ratedMovies().isPresent());
        expected.ratedMovies().ifPresent(r -> {
            assertArrayEquals(r.offsets(), actual.ratedMovies().orElseThrow().offsets());
            assertArrayEquals(r.movieRows(), actual.ratedMovies().orElseThrow().movieRows());
        });
    }

    private static void assertBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    @Test
    void towerModelRoundTripsBitExactly() throws IOException {
        RatingModel model = towerWithBiases();
        Path dir = tmp.resolve("model");
        ModelStore.save(model, dir);
        RatingModel back = ModelStore.load(dir);
        assertSameModel(model, back);
        assertEquals(model.predict(TestModels.userId(3), TestModels.movieId(5)), back.predict(TestModels.userId(3), TestModels.movieId(5)));
        assertTrue(Double.isNaN(back.history().get(2).valLoss()), "NaN survives as NaN");
    }

    @Test
    void matrixFactorizationWithoutMoviesOrRatedListsRoundTrips() throws IOException {
        RatingModel model = TestModels.random(3, ModelConfig.matrixFactorization(4), 5, 6)
                .withMovies(org.scatterlens.data.Movies.empty()).withRatedMovies(null).withHistory(List.of())
                .withProvenance(Map.of());
        Path dir = tmp.resolve("mf");
        ModelStore.save(model, dir);
        assertSameModel(model, ModelStore.load(dir));
        assertFalse(Files.exists(dir.resolve(ModelStore.MOVIES_TSV)));
        assertFalse(Files.exists(dir.resolve(ModelStore.RATED_MOVIES)));
    }

    @Test
    void directoryHoldsTheDocumentedFiles() throws IOException {
        Path dir = tmp.resolve("model");
        ModelStore.save(towerWithBiases(), dir);
        assertEquals(List.of("dense_0_bias.npy", "dense_0_kernel.npy", "dense_1_bias.npy", "dense_1_kernel.npy",
                        "dense_2_bias.npy", "dense_2_kernel.npy", "history.csv", "history.json", "model.json",
                        "movie_bias.npy", "movie_counts.npy", "movie_embedding.npy", "movie_ids.npy", "movies.tsv",
                        "rated_movies.npy", "rated_offsets.npy", "user_bias.npy", "user_embedding.npy", "user_ids.npy"),
                names(dir));
        assertArrayEquals(new long[] {40, 8}, Npy.readHeader(dir.resolve("user_embedding.npy")).shape());
        assertArrayEquals(new long[] {16, 32}, Npy.readHeader(dir.resolve("dense_0_kernel.npy")).shape());
        assertArrayEquals(new long[] {4, 1}, Npy.readHeader(dir.resolve("dense_2_kernel.npy")).shape());
        List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
        assertEquals("epoch,loss,mae,val_loss,val_mae,seconds,ratings_per_second,val_rmse", csv.get(0));
        assertEquals("3,0.75,0.68,nan,0.7,1.125,1300000.0,0.9", csv.get(3));
        List<String> movies = Files.readAllLines(dir.resolve("movies.tsv"));
        assertEquals("movieId\ttitle\tyear\tgenres", movies.get(0));
        assertEquals("1\tMovie 0\t1990\tAction|Drama", movies.get(1));
        String json = Files.readString(dir.resolve("model.json"));
        assertTrue(json.contains("\"formatVersion\" : 1"), json);
        assertTrue(json.contains("\"dataFingerprint\" : \"sha256:7\""), json);
    }

    @Test
    void savingTheSameModelTwiceWritesTheSameBytes() throws IOException {
        RatingModel model = towerWithBiases();
        ModelStore.save(model, tmp.resolve("a"));
        ModelStore.save(model, tmp.resolve("b"));
        for (String name : names(tmp.resolve("a"))) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(name)), Files.readAllBytes(tmp.resolve("b").resolve(name)), name);
        }
    }

    @Test
    void replacesAnExistingModel() throws IOException {
        Path dir = tmp.resolve("model");
        ModelStore.save(towerWithBiases(), dir);
        RatingModel other = TestModels.random(11, ModelConfig.matrixFactorization(3), 7, 9);
        ModelStore.save(other, dir);
        assertSameModel(other, ModelStore.load(dir));
        assertFalse(Files.exists(dir.resolve("dense_0_kernel.npy")), "the old model's files are gone");
        assertEquals(List.of("model"), names(tmp), "no staging or previous directory left");
    }

    @Test
    void failureMidSaveLeavesTheOldModel() throws IOException {
        Path dir = tmp.resolve("model");
        RatingModel old = towerWithBiases();
        ModelStore.save(old, dir);
        RatingModel next = TestModels.random(12, ModelConfig.tutorial(), 40, 25);
        List<String> written = new ArrayList<>();
        UncheckedIOException crash = assertThrows(UncheckedIOException.class, () -> ModelStore.save(next, dir, name -> {
            written.add(name);
            if (written.size() == 3) {
                throw new UncheckedIOException(new IOException("disk full (simulated)"));
            }
        }));
        assertEquals("disk full (simulated)", crash.getCause().getMessage());
        assertSameModel(old, ModelStore.load(dir));
        assertEquals(List.of("model"), names(tmp), "the staging directory is cleaned up");
    }

    @Test
    void crashBetweenTheTwoRenamesLeavesThePreviousModelReadable() throws IOException {
        Path dir = tmp.resolve("model");
        RatingModel old = towerWithBiases();
        ModelStore.save(old, dir);
        // The state a crash leaves after "model -> .model.previous" and before ".model.saving -> model".
        Files.move(dir, AtomicFiles.previousOf(dir));
        Files.createDirectories(AtomicFiles.stagingOf(dir));
        Files.writeString(AtomicFiles.stagingOf(dir).resolve("user_embedding.npy"), "half written");
        assertSameModel(old, ModelStore.load(dir));

        RatingModel next = TestModels.random(13, ModelConfig.matrixFactorization(2), 3, 4);
        ModelStore.save(next, dir);
        assertSameModel(next, ModelStore.load(dir));
        assertEquals(List.of("model"), names(tmp));
    }

    @Test
    void followsASymbolicLinkAndKeepsIt() throws IOException {
        Path run = tmp.resolve("runs/2024-01-01");
        Path latest = tmp.resolve("runs/latest");
        ModelStore.save(towerWithBiases(), run);
        Files.createSymbolicLink(latest, run.getFileName());
        RatingModel next = TestModels.random(5, ModelConfig.matrixFactorization(2), 3, 4);
        ModelStore.save(next, latest);
        assertTrue(Files.isSymbolicLink(latest));
        assertSameModel(next, ModelStore.load(latest));
        assertSameModel(next, ModelStore.load(run));
    }

    @Test
    void refusesAFolderWithSubfoldersThatIsNotAModel() throws IOException {
        Path dir = tmp.resolve("documents");
        Files.createDirectories(dir.resolve("photos"));
        Files.writeString(dir.resolve("thesis.tex"), "precious");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelStore.save(towerWithBiases(), dir));
        assertEquals("refusing to save a model into " + dir + ": it is not a model directory (no model.json) and holds"
                + " photos, which is not a plain file; choose a new or empty directory", e.getMessage());
        assertEquals(List.of("photos", "thesis.tex"), names(dir));
        assertThrows(IllegalArgumentException.class, () -> ModelStore.save(towerWithBiases(), dir.resolve("thesis.tex")));
    }

    @Test
    void keepsFilesThatAreNotPartOfTheModel() throws IOException {
        // A run directory: the trainer's checkpoint comes before the first model; plots land inside later.
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("checkpoint.bin"), "epoch 1");
        ModelStore.save(towerWithBiases(), dir);
        Files.createDirectories(dir.resolve("plots"));
        Files.writeString(dir.resolve("plots/map.png"), "png");
        Files.writeString(dir.resolve("checkpoint.bin"), "epoch 2");
        RatingModel next = TestModels.random(9, ModelConfig.matrixFactorization(2), 3, 4);
        ModelStore.save(next, dir);
        assertSameModel(next, ModelStore.load(dir));
        assertEquals("epoch 2", Files.readString(dir.resolve("checkpoint.bin")));
        assertEquals("png", Files.readString(dir.resolve("plots/map.png")));
        assertFalse(Files.exists(dir.resolve("dense_0_kernel.npy")), "the old model's own files do not linger");
        assertTrue(ModelStore.isModelFile("dense_12_bias.npy"));
        assertFalse(ModelStore.isModelFile("checkpoint.bin"));
    }

    @Test
    void savesAModelOfMovieLens20MSizeQuickly() throws IOException {
        RatingModel model = TestModels.random(1, ModelConfig.tutorial(), 138_493, 26_744);
        Path dir = tmp.resolve("big");
        long start = System.nanoTime();
        ModelStore.save(model, dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertSameModel(model, ModelStore.load(dir));
        assertTrue(seconds < 10, "saving took " + seconds + " s");
    }

    // ---------------------------------------------------------------- errors

    private Path saved() throws IOException {
        Path dir = tmp.resolve("model");
        ModelStore.save(towerWithBiases(), dir);
        return dir;
    }

    private static String loadError(Path dir) {
        return assertThrows(ModelStore.ModelFormatException.class, () -> ModelStore.load(dir)).getMessage();
    }

    @Test
    void missingEmptyAndForeignDirectories() throws IOException {
        assertEquals("model directory " + tmp.resolve("nope") + " does not exist", loadError(tmp.resolve("nope")));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals("model directory " + empty + " is empty (no model.json)", loadError(empty));
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("ratings.csv"), "userId,movieId\n");
        assertEquals(foreign + " is not a ScatterLens model directory: no model.json among its 1 entries (ratings.csv)",
                loadError(foreign));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals(file + " is a file, not a model directory", loadError(file));
    }

    @Test
    void foreignOrBrokenModelJson() throws IOException {
        Path dir = saved();
        Path json = dir.resolve(ModelStore.MODEL_JSON);
        Files.writeString(json, "{\"name\": \"a keras model\"}");
        assertEquals(json + " is not a ScatterLens model description (no \"format\": \"scatterlens-model\")", loadError(dir));
        Files.writeString(json, "{not json");
        assertTrue(loadError(dir).startsWith(json + " is not valid JSON: "), loadError(dir));
    }

    @Test
    void wrongFormatVersion() throws IOException {
        Path dir = saved();
        Path json = dir.resolve(ModelStore.MODEL_JSON);
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        assertEquals(json + ": format version 2, this ScatterLens reads version 1 (written by a newer ScatterLens)",
                loadError(dir));
    }

    @Test
    void missingFile() throws IOException {
        Path dir = saved();
        Files.delete(dir.resolve("dense_1_kernel.npy"));
        assertEquals(dir.resolve("dense_1_kernel.npy") + " is missing (model.json lists it as '<f4' (32, 4))", loadError(dir));
    }

    @Test
    void missingHistory() throws IOException {
        Path dir = saved();
        Files.delete(dir.resolve("history.json"));
        assertEquals(dir.resolve("history.json") + " is missing (model.json lists it)", loadError(dir));
    }

    @Test
    void fileWithTheWrongShapeOrDtype() throws IOException {
        Path dir = saved();
        Path users = dir.resolve("user_embedding.npy");
        Npy.writeFloats(users, new float[40 * 16], 40, 16);
        assertEquals(users + ": shape (40, 16), expected (40, 8)", loadError(dir));
        Npy.writeInts(users, new int[40 * 8], 40, 8);
        assertEquals(users + ": dtype '<i4' (int32), expected '<f4' (float32)", loadError(dir));
    }

    @Test
    void listingThatDisagreesWithTheConfig() throws IOException {
        Path dir = saved();
        Path json = dir.resolve(ModelStore.MODEL_JSON);
        Files.writeString(json, Files.readString(json).replace("\"userDim\" : 8", "\"userDim\" : 16"));
        String e = loadError(dir);
        assertTrue(e.startsWith(json + " lists user_embedding.npy as '<f4' (40, 8), but its config, users and movies need '<f4' (40, 16)"), e);
    }

    @Test
    void badConfigValue() throws IOException {
        Path dir = saved();
        Path json = dir.resolve(ModelStore.MODEL_JSON);
        Files.writeString(json, Files.readString(json).replace("\"activation\" : \"relu\"", "\"activation\" : \"gelu\""));
        assertEquals(json + ": \"activation\" is \"gelu\", allowed: relu, tanh, sigmoid, linear", loadError(dir));
    }

    @Test
    void malformedMoviesTsv() throws IOException {
        Path dir = saved();
        Path tsv = dir.resolve(ModelStore.MOVIES_TSV);
        List<String> lines = new ArrayList<>(Files.readAllLines(tsv));
        lines.set(3, "7\tMovie 2\tnineteen\tDrama");
        Files.write(tsv, lines);
        assertEquals(tsv + " line 4: bad id or year: 7\tMovie 2\tnineteen\tDrama", loadError(dir));
    }

    @Test
    void idsOutOfOrder() throws IOException {
        Path dir = saved();
        int[] ids = Npy.readInts(dir.resolve("user_ids.npy"), 40);
        ids[5] = ids[4];
        Npy.writeInts(dir.resolve("user_ids.npy"), ids, 40);
        assertEquals(dir.resolve("user_ids.npy") + ": raw ids must be strictly ascending: [4] = 50, [5] = 50", loadError(dir));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
