package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.model.RatingModel;
import org.scatterlens.testing.TestModels;

class PredictionsTest {
    @TempDir
    Path tmp;

    private final RatingModel tower = TestModels.tower();

    @Test
    void handBuiltTowerGivesItsKnownOutputs() {
        assertEquals(3.5f, tower.predict(5, 10), 1e-6f);
        assertEquals(1.75f, tower.predict(5, 11), 1e-6f);
        assertEquals(0.5f, tower.predict(6, 10), "-0.25 clipped to the bottom of the range");
        assertEquals(-2.75f, tower.predictRows(1, 1), 1e-6f);
    }

    @Test
    void csvWithHeaderAndExtraColumns() throws IOException {
        Path pairs = Files.writeString(tmp.resolve("ratings.csv"),
                "userId,movieId,rating,timestamp\n5,10,4.0,964982703\n5,11,3.5,964981247\n\n6,10,1.0,964982224\n");
        StringWriter out = new StringWriter();
        Predictions.Summary s = Predictions.predictFile(tower, pairs, out, false);
        assertEquals("userId,movieId,prediction\n5,10,3.5000\n5,11,1.7500\n6,10,0.5000\n", out.toString());
        assertEquals(3, s.predicted());
        assertEquals(0, s.skipped());
    }

    @Test
    void otherLayouts() throws IOException {
        for (String text : List.of("5::10::5::978300760\n6::11::3::978302109\n", "5\t10\t3\t881250949\n6\t11\t3\t891717742\n",
                "5 10\n6 11\n", "movieId,userId\n10,5\n11,6\n")) {
            Path pairs = Files.writeString(tmp.resolve("pairs"), text);
            StringWriter out = new StringWriter();
            Predictions.predictFile(tower, pairs, out, false);
            assertEquals("userId,movieId,prediction\n5,10,3.5000\n6,11,0.5000\n", out.toString(), text);
        }
    }

    @Test
    void unknownIdFailsNamingTheLineOrIsSkipped() throws IOException {
        Path pairs = Files.writeString(tmp.resolve("pairs.csv"), "5,10\n7,10\n5,12\n6,11\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Predictions.predictFile(tower, pairs, new StringWriter(), false));
        assertEquals(pairs + " line 2: unknown user 7 (--skip-unknown leaves such pairs out)", e.getMessage());
        StringWriter out = new StringWriter();
        Predictions.Summary s = Predictions.predictFile(tower, pairs, out, true);
        assertEquals("userId,movieId,prediction\n5,10,3.5000\n6,11,0.5000\n", out.toString());
        assertEquals(new Predictions.Summary(2, 2, List.of("line 2: unknown user 7", "line 3: unknown movie 12")), s);
    }

    @Test
    void malformedLines() throws IOException {
        Path pairs = Files.writeString(tmp.resolve("pairs.csv"), "5,10\n5,ten\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Predictions.predictFile(tower, pairs, new StringWriter(), false));
        assertEquals(pairs + " line 2: user and movie ids must be integers: '5,ten'", e.getMessage());
        Path header = Files.writeString(tmp.resolve("h.csv"), "a,b,c\n1,2,3\n");
        e = assertThrows(IllegalArgumentException.class, () -> Predictions.predictFile(tower, header, new StringWriter(), false));
        assertEquals(header + " line 1: a header without userId and movieId columns: 'a,b,c'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Predictions.predictFile(tower, tmp.resolve("none.csv"), new StringWriter(), false));
        assertEquals("no such file: " + tmp.resolve("none.csv"), e.getMessage());
    }

    @Test
    void ratedRowsFromARatingsFile() throws IOException {
        RatingModel m = TestModels.planted();
        Path ratings = Files.writeString(tmp.resolve("ratings.csv"),
                "userId,movieId,rating,timestamp\n1,2,4,0\n2,3,4,0\n1,7,1,0\n1,1000,5,0\n");
        BitSet rows = Predictions.ratedRows(m, ratings, 1);
        assertEquals("{1, 4}", rows.toString(), "movies 2 and 7; movie 1000 is not in the model");
        assertEquals("{0}", Predictions.ratedRows(m, 0).toString(), "from the lists the model keeps");
    }
}
