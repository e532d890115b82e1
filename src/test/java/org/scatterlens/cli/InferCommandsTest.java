package org.scatterlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.model.ModelStore;
import org.scatterlens.testing.TestModels;

/** predict, recommend, similar, export and plot through Main.run, as a user types them. */
class InferCommandsTest {
    @TempDir
    Path tmp;

    private CliRun last;
    private Path model;

    @BeforeEach
    void setUp() throws IOException {
        model = tmp.resolve("runs/run-1");
        ModelStore.save(TestModels.planted(), model);
    }

    private int run(String... args) {
        last = CliRun.of(args);
        return last.code();
    }

    private String out() {
        return last.out();
    }

    private String err() {
        return last.err();
    }

    /** A failure is one line naming the problem, then the --debug hint; never a stack trace. */
    private void assertOneLineError(String expectedLine) {
        List<String> lines = err().lines().toList();
        assertEquals(expectedLine, lines.get(0), err());
        assertEquals(2, lines.size(), err());
        assertFalse(err().contains("\tat "), "no stack trace without --debug: " + err());
    }

    @Test
    void predictOnePair() {
        assertEquals(0, run("predict", "--model", model.toString(), "--user", "1", "--movie", "9"));
        assertEquals(String.join("\n",
                "user  movieId  title                                          year  genres          predicted",
                "----  -------  ---------------------------------------------  ----  --------------  ---------",
                "   1        9  Amélie (Fabuleux destin d'Amélie Poulain, Le)  2001  Comedy|Romance       4.50", ""),
                out());
    }

    @Test
    void predictPairsFileToCsv() throws IOException {
        Path pairs = Files.writeString(tmp.resolve("pairs.csv"), "userId,movieId\n1,1\n2,7\n1,3\n");
        Path csv = tmp.resolve("out/predictions.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--pairs", pairs.toString(), "--out", csv.toString()));
        assertEquals(List.of("userId,movieId,prediction", "1,1,5.0000", "2,7,5.0000", "1,3,3.2000"), Files.readAllLines(csv));
        assertEquals("predicted 3 pairs into " + csv + "\n", err());
    }

    @Test
    void predictErrors() {
        assertEquals(2, run("predict", "--model", model.toString(), "--user", "42", "--movie", "1"));
        assertOneLineError("scatterlens predict: unknown user 42: the model knows 2 users (ids 1..2)");
        assertEquals(2, run("predict", "--model", model.toString(), "--user", "1", "--movie", "5"));
        assertOneLineError("scatterlens predict: unknown movie id 5: the model knows 6 movies (ids 1..9)");
        assertEquals(2, run("predict", "--model", model.toString(), "--user", "1"));
        assertOneLineError("scatterlens predict: --user needs --movie");
        assertEquals(2, run("predict", "--model", model.toString(), "--user", "one", "--movie", "1"));
        assertTrue(err().startsWith("scatterlens predict: Invalid value for option '--user': 'one' is not an int"), err());
    }

    @Test
    void recommendLeavesOutRatedMovies() {
        assertEquals(0, run("recommend", "--model", model.toString(), "--user", "1", "--top", "3"));
        assertEquals(String.join("\n",
                "Top 3 movies for user 1 (1 movie the user rated left out)",
                "",
                "#  movieId  title                                          year  genres               predicted",
                "-  -------  ---------------------------------------------  ----  -------------------  ---------",
                "1        9  Amélie (Fabuleux destin d'Amélie Poulain, Le)  2001  Comedy|Romance            4.50",
                "2        2  Toy Story 2                                    1999  Adventure|Animation       4.00",
                "3        4  Hamlet                                         1996  Drama                     3.50", ""),
                out());
    }

    @Test
    void recommendWithARatingsFileOrNothingToExclude() throws IOException {
        Path ratings = Files.writeString(tmp.resolve("ratings.dat"), "1::9::5::0\n1::2::4::0\n2::1::3::0\n");
        assertEquals(0, run("recommend", "--model", model.toString(), "--user", "1", "--top", "2", "--data", ratings.toString()));
        assertTrue(out().startsWith("Top 2 movies for user 1 (2 movies the user rated in " + ratings + " left out)"), out());
        assertTrue(out().contains("  1        1  Toy Story") || out().contains("1        1  Toy Story  "), out());

        ModelStore.save(TestModels.planted().withRatedMovies(null), model);
        assertEquals(0, run("recommend", "--model", model.toString(), "--user", "1", "--top", "1"));
        assertTrue(out().startsWith("Top 1 movie for user 1 (rated movies NOT left out)"), out());
        assertEquals("note: the model keeps no lists of rated movies: movies user 1 already rated are not left out;"
                + " --data RATINGS leaves them out\n", err());
    }

    @Test
    void runsFolderMeansItsLatest() throws IOException {
        Files.createSymbolicLink(tmp.resolve("runs/latest"), Path.of("run-1"));
        assertEquals(0, run("recommend", "--model", tmp.resolve("runs/latest").toString(), "--user", "2", "--top", "1"));
        String viaLink = out();
        assertTrue(viaLink.contains("American President, The"), viaLink);
        assertEquals(0, run("recommend", "--model", tmp.resolve("runs").toString(), "--user", "2", "--top", "1"));
        assertEquals(viaLink, out());
    }

    @Test
    void similarByTitle() {
        assertEquals(0, run("similar", "--model", model.toString(), "--movie", "hamlet (1948)", "--top", "2"));
        assertEquals(String.join("\n",
                "Movies most like Hamlet (1948) (id 3, 30 ratings)",
                "",
                "#  movieId  title                                          year  genres                ratings  cosine",
                "-  -------  ---------------------------------------------  ----  --------------------  -------  ------",
                "1        7  American President, The                        1995  Comedy|Drama|Romance       10   0.981",
                "2        9  Amélie (Fabuleux destin d'Amélie Poulain, Le)  2001  Comedy|Romance              2   0.832", ""),
                out());
    }

    @Test
    void similarByIdWithMinRatings() {
        assertEquals(0, run("similar", "--model", model.toString(), "--movie-id", "3", "--top", "1", "--min-ratings", "15"));
        assertTrue(out().startsWith("Movies most like Hamlet (1948) (id 3, 30 ratings), among those with >= 15 ratings"), out());
        assertTrue(out().contains("1        1  Toy Story"), out());
    }

    @Test
    void similarListsCandidatesWhenTheTitleIsAmbiguousOrUnknown() {
        assertEquals(1, run("similar", "--model", model.toString(), "--movie", "Hamlet"));
        assertEquals(String.join("\n",
                "2 movies are titled \"Hamlet\"; pick one with --movie-id, or add the year:",
                "",
                "movieId  title   year  genres  ratings",
                "-------  ------  ----  ------  -------",
                "      3  Hamlet  1948  Drama        30",
                "      4  Hamlet  1996  Drama        20", ""),
                out());
        assertEquals(1, run("similar", "--model", model.toString(), "--movie", "Toy Stroy"));
        assertTrue(out().startsWith("no movie is titled \"Toy Stroy\"; the closest titles:\n\n"), out());
        assertTrue(out().lines().skip(4).findFirst().orElseThrow().contains("Toy Story"), out());
    }

    @Test
    void similarNeedsExactlyOneQuery() {
        assertEquals(2, run("similar", "--model", model.toString()));
        assertTrue(err().startsWith("scatterlens similar: Error: Missing required argument (specify one of these): "), err());
        assertEquals(2, run("similar", "--model", model.toString(), "--movie", "Hamlet", "--movie-id", "3"));
        assertTrue(err().contains("mutually exclusive"), err());
    }

    @Test
    void moviesFileReplacesTheModelsTitles() throws IOException {
        ModelStore.save(TestModels.tower(), model);
        Path movies = Files.writeString(tmp.resolve("movies.csv"), "movieId,title,genres\n10,Heat (1995),Action|Crime\n11,Casino (1995),Crime\n");
        assertEquals(2, run("similar", "--model", model.toString(), "--movie", "Heat"));
        assertOneLineError("scatterlens similar: the model keeps no movie titles: use --movie-id, or --movies FILE to add titles");
        assertEquals(0, run("similar", "--model", model.toString(), "--movie", "Heat", "--movies", movies.toString()));
        assertTrue(out().startsWith("Movies most like Heat (1995) (id 10, 7 ratings)"), out());
        assertTrue(out().contains("Casino"), out());
    }

    @Test
    void exportBothFormats() throws IOException {
        Path dir = tmp.resolve("export");
        assertEquals(0, run("export", "--model", model.toString(), "--format", "tsv", "--out", dir.toString(), "--min-ratings", "20"));
        assertEquals("wrote " + dir.resolve("vectors.tsv") + "\nwrote " + dir.resolve("metadata.tsv") + "\n", out());
        assertEquals(5, Files.readAllLines(dir.resolve("metadata.tsv")).size(), "header + 4 movies with >= 20 ratings");
        assertEquals(0, run("export", "--model", model.toString(), "--format", "npy", "--out", dir.toString()));
        assertTrue(Files.exists(dir.resolve("movie_embedding.npy")));
        assertEquals(2, run("export", "--model", model.toString(), "--format", "csv"));
        assertTrue(err().startsWith("scatterlens export: Invalid value for option '--format': expected one of [tsv, npy]"), err());
    }

    @Test
    void plotWritesBothPngs() throws IOException {
        ModelStore.save(TestModels.clustered(5, 30, 200), model);
        Path dir = tmp.resolve("plots");
        assertEquals(0, run("plot", "--model", model.toString(), "--out", dir.toString(), "--labels", "5"));
        assertEquals("wrote " + dir.resolve("training-curves.png") + "\nwrote " + dir.resolve("embedding-map.png") + "\n", out());
        assertEquals(1000, ImageIO.read(dir.resolve("training-curves.png").toFile()).getWidth());
        assertEquals(1000, ImageIO.read(dir.resolve("embedding-map.png").toFile()).getHeight());
    }

    @Test
    void plotWithoutHistoryMakesOnlyTheMap() {
        Path dir = tmp.resolve("plots");
        assertEquals(0, run("plot", "--model", model.toString(), "--out", dir.toString()));
        assertEquals("wrote " + dir.resolve("embedding-map.png") + "\n", out());
        assertEquals("note: the model has no training history: no training curves\n", err());
    }

    @Test
    void emptyForeignAndWrongVersionModelDirectories() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(1, run("recommend", "--model", empty.toString(), "--user", "1"));
        assertOneLineError("scatterlens recommend: model directory " + empty + " is empty (no model.json)");

        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("saved_model.pb"), "keras");
        assertEquals(1, run("similar", "--model", foreign.toString(), "--movie-id", "1"));
        assertOneLineError("scatterlens similar: " + foreign + " is not a ScatterLens model directory: no model.json among its 1 entries (saved_model.pb)");

        Path json = model.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        assertEquals(1, run("export", "--model", model.toString(), "--format", "npy", "--out", tmp.resolve("x").toString()));
        assertOneLineError("scatterlens export: " + json + ": format version 7, this ScatterLens reads version 1 (written by a newer ScatterLens)");

        assertEquals(1, run("plot", "--model", tmp.resolve("missing").toString()));
        assertOneLineError("scatterlens plot: model directory " + tmp.resolve("missing") + " does not exist");
    }

    @Test
    void debugShowsTheStackTrace() {
        assertEquals(1, run("predict", "--model", tmp.resolve("missing").toString(), "--user", "1", "--movie", "1", "--debug"));
        assertTrue(err().contains("\tat org.scatterlens.model.ModelStore.load"), err());
    }

    @Test
    void badFlag() {
        assertEquals(2, run("recommend", "--model", model.toString(), "--user", "1", "--topp", "3"));
        assertEquals("scatterlens recommend: Unknown options: '--topp', '3'", err().lines().findFirst().orElseThrow());
    }
}
