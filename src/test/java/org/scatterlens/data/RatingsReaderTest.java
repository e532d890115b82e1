package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsReaderTest {
    private static final String HEADER = "userId,movieId,rating,timestamp\n";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static ParsedRatings read(Path file) throws IOException {
        return RatingsReader.read(file, null, false);
    }

    /** The rating of (raw user, raw movie), or NaN. */
    private static float rating(Ratings r, int user, int movie) {
        for (int i = 0; i < r.size(); i++) {
            if (r.users().rawId(r.userRows()[i]) == user && r.items().rawId(r.itemRows()[i]) == movie) {
                return r.values()[i];
            }
        }
        return Float.NaN;
    }

    private static int time(Ratings r, int user, int movie) {
        for (int i = 0; i < r.size(); i++) {
            if (r.users().rawId(r.userRows()[i]) == user && r.items().rawId(r.itemRows()[i]) == movie) {
                return r.times()[i];
            }
        }
        throw new AssertionError("no rating of " + movie + " by " + user);
    }

    private static long utc(String isoLocal) {
        return LocalDateTime.parse(isoLocal).toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void groupLensCsv() throws IOException {
        Path file = write("ratings.csv", HEADER + "1,31,2.5,1260759144\n1,1029,3.0,1260759179\n2,10,4.0,835355493\n");
        ParsedRatings p = read(file);
        Ratings r = p.ratings();
        assertEquals(RatingFormat.CSV, p.format());
        assertEquals(3, r.size());
        assertArrayEquals(new int[] {1, 2}, r.users().rawIds());
        assertArrayEquals(new int[] {10, 31, 1029}, r.items().rawIds());
        assertArrayEquals(new int[] {0, 0, 1}, r.userRows());
        assertArrayEquals(new int[] {1, 2, 0}, r.itemRows());
        assertArrayEquals(new float[] {2.5f, 3.0f, 4.0f}, r.values());
        assertArrayEquals(new int[] {1260759144, 1260759179, 835355493}, r.times());
        assertEquals(3, p.dataLines());
        assertTrue(p.notes().isEmpty(), p.notes().toString());
    }

    @Test
    void kaggleCsvWithDates() throws IOException {
        Path file = write("rating.csv", HEADER + "1,2,3.5,2005-04-02 23:53:47\n1,29,3.5,2005-04-02 23:31:16\n"
                + "7,2,0.5,2000-02-29 00:00:00\n");
        ParsedRatings p = read(file);
        assertEquals(RatingFormat.KAGGLE_CSV, p.format());
        assertEquals(utc("2005-04-02T23:53:47"), time(p.ratings(), 1, 2));
        assertEquals(1112486027, time(p.ratings(), 1, 2));
        assertEquals(utc("2000-02-29T00:00:00"), time(p.ratings(), 7, 2));
        assertEquals(0.5f, rating(p.ratings(), 7, 2));
    }

    @Test
    void kaggleLearnColumnsByNameInAnyOrderOthersIgnored() throws IOException {
        // A pandas index column without a name, a title with a quoted comma, y before the ids.
        Path file = write("rating.csv", ",y,movieId,title,userId,rating,timestamp\n"
                + "0,0.47,10,\"Heat, The (1995)\",3,4.0,2003-01-05 10:00:00\n"
                + "1,-1.03,20,\"He said \"\"no\"\"\",3,2.5,2003-01-06 11:00:00\n"
                + "2,0.97,10,Plain,5,4.5,2004-02-01 00:00:01\n");
        ParsedRatings p = read(file);
        assertEquals(RatingFormat.KAGGLE_LEARN, p.format());
        Ratings r = p.ratings();
        assertEquals(3, r.size());
        assertArrayEquals(new int[] {3, 5}, r.users().rawIds());
        assertArrayEquals(new int[] {10, 20}, r.items().rawIds());
        assertEquals(4.0f, rating(r, 3, 10));
        assertEquals(2.5f, rating(r, 3, 20));
        assertEquals(4.5f, rating(r, 5, 10));
        assertEquals(utc("2004-02-01T00:00:01"), time(r, 5, 10));
    }

    @Test
    void kaggleLearnWithoutTimestamps() throws IOException {
        Path file = write("rating.csv", "userId,movieId,rating,y\n0,7,3.0,-0.5\n1,7,5.0,1.5\n");
        ParsedRatings p = read(file);
        assertEquals(RatingFormat.KAGGLE_LEARN, p.format());
        assertArrayEquals(new int[] {0, 1}, p.ratings().users().rawIds());
        assertArrayEquals(new int[] {0, 0}, p.ratings().times());
    }

    @Test
    void datAndUData() throws IOException {
        ParsedRatings dat = read(write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4.5::978300000\n"));
        assertEquals(RatingFormat.DAT, dat.format());
        assertEquals(3, dat.ratings().size());
        assertEquals(4.5f, rating(dat.ratings(), 2, 1193));
        assertEquals(978302109, time(dat.ratings(), 1, 661));

        ParsedRatings u = read(write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n"));
        assertEquals(RatingFormat.U_DATA, u.format());
        assertArrayEquals(new int[] {22, 186, 196}, u.ratings().users().rawIds());
        assertEquals(1f, rating(u.ratings(), 22, 377));
    }

    @Test
    void forcedFormat() throws IOException {
        Path csv = write("ratings.csv", HEADER + "1,31,2.5,1260759144\n");
        assertEquals(RatingFormat.KAGGLE_LEARN, RatingsReader.read(csv, RatingFormat.KAGGLE_LEARN, false).format());
        Path dat = write("ratings.dat", "1::1193::5::978300760\n");
        BadDataException e = assertThrows(BadDataException.class, () -> RatingsReader.read(dat, RatingFormat.CSV, false));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no header line"), e.getMessage());
    }

    @Test
    void crlfBomAndAMissingLastNewline() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = (HEADER + "1,31,2.5,1260759144\r\n2,10,4.0,835355493").replace("\n", "\r\n")
                .replace("\r\r\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(text, 0, all, bom.length, text.length);
        ParsedRatings p = read(write("ratings.csv", all));
        assertEquals(RatingFormat.CSV, p.format());
        assertArrayEquals(new float[] {2.5f, 4.0f}, p.ratings().values());
        assertArrayEquals(new int[] {1260759144, 835355493}, p.ratings().times());
    }

    @Test
    void blankLinesAreIgnoredAndCounted() throws IOException {
        ParsedRatings p = read(write("ratings.csv", HEADER + "1,31,2.5,1\n\n2,10,4.0,2\n\r\n"));
        assertEquals(2, p.ratings().size());
        assertEquals(2, p.blankLines());
        assertTrue(p.notes().get(0).contains("2 blank lines"), p.notes().toString());
    }

    /** Reads a CSV whose line 3 is {@code bad} and returns the failure. */
    private BadDataException badLine(String bad) throws IOException {
        Path file = write("ratings.csv", HEADER + "1,31,2.5,1260759144\n" + bad + "\n2,10,4.0,835355493\n");
        BadDataException e = assertThrows(BadDataException.class, () -> read(file));
        assertEquals(file, e.file());
        assertEquals(3, e.line());
        assertEquals(bad, e.text());
        assertTrue(e.getMessage().startsWith(file + ", line 3: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": \"" + bad + "\""), e.getMessage());
        return e;
    }

    @Test
    void eachBadLineIsNamedWithFileLineAndText() throws IOException {
        Path file = dir.resolve("ratings.csv");
        assertEquals(file + ", line 3: 3 fields, expected 4 (userId,movieId,rating,timestamp) (--skip-bad-lines skips "
                + "such lines): \"1,31,2.5\"", badLine("1,31,2.5").getMessage());
        assertTrue(badLine("1,31,2.5,1,9").getMessage().contains("5 fields, expected 4"));
        assertTrue(badLine("x,31,2.5,1").getMessage().contains("userId \"x\" is not a whole number"));
        assertTrue(badLine("1,3.1,2.5,1").getMessage().contains("movieId \"3.1\" is not a whole number"));
        assertTrue(badLine(",31,2.5,1").getMessage().contains("userId is empty"));
        assertTrue(badLine("1,31,abc,1").getMessage().contains("rating \"abc\" is not a number"));
        assertTrue(badLine("1,31,7.5,1").getMessage().contains("rating 7.5 is outside 0.5..5.0, the range of the csv format"));
        assertTrue(badLine("1,31,0,1").getMessage().contains("rating 0 is outside 0.5..5.0"));
        assertTrue(badLine("1,31,-1,1").getMessage().contains("rating -1 is outside"));
        assertTrue(badLine("1,31,NaN,1").getMessage().contains("rating \"NaN\" is not a finite number"));
        assertTrue(badLine("1,31,inf,1").getMessage().contains("rating \"inf\" is not a finite number"));
        assertTrue(badLine("1,31,1e999,1").getMessage().contains("rating \"1e999\" is not a finite number"));
        assertTrue(badLine("-3,31,2.5,1").getMessage().contains("userId -3 is negative"));
        assertTrue(badLine("1,99999999999,2.5,1").getMessage().contains("movieId 99999999999 is beyond the largest id, 2147483647"));
        assertTrue(badLine("1,31,2.5,abc").getMessage().contains("timestamp \"abc\" is not whole Unix seconds"));
        assertTrue(badLine("1,31,2.5,-5").getMessage().contains("timestamp -5 is negative"));
        assertTrue(badLine("1,31,2.5,99999999999").getMessage().contains("timestamp 99999999999 is past 2038-01-19"));
        assertTrue(badLine("1,31,2.5,2005-04-02 23:53:47").getMessage().contains("is a date, not Unix seconds (--format kaggle-csv"));
    }

    @Test
    void badKaggleDatesAndDatFields() throws IOException {
        Path kaggle = write("rating.csv", HEADER + "1,2,3.5,2005-04-02 23:53:47\n1,3,3.5,2005-13-02 23:53:47\n");
        BadDataException e = assertThrows(BadDataException.class, () -> read(kaggle));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("timestamp \"2005-13-02 23:53:47\" is not a valid time"), e.getMessage());

        Path dat = write("ratings.dat", "1::1193::5::978300760\n1:661::3::978302109\n");
        e = assertThrows(BadDataException.class, () -> read(dat));
        assertEquals(2, e.line());
        assertEquals("1:661::3::978302109", e.text());

        Path udata = write("u.data", "196\t242\t3\t881250949\n186\t302\t0\t891717742\n");
        e = assertThrows(BadDataException.class, () -> read(udata));
        assertTrue(e.getMessage().contains("rating 0 is outside 1.0..5.0, the range of the u.data format"), e.getMessage());
    }

    @Test
    void truncatedLastLineSaysSo() throws IOException {
        Path file = write("ratings.csv", HEADER + "1,31,2.5,1260759144\n2,10,4.");
        BadDataException e = assertThrows(BadDataException.class, () -> read(file));
        assertEquals(3, e.line());
        assertEquals("2,10,4.", e.text());
        assertTrue(e.getMessage().contains("3 fields, expected 4"), e.getMessage());
        assertTrue(e.getMessage().contains("the file ends inside this line: truncated?"), e.getMessage());
    }

    @Test
    void wholeFileProblems() throws IOException {
        Path empty = write("empty.csv", "");
        assertEquals(empty + ": is empty", assertThrows(BadDataException.class, () -> read(empty)).getMessage());

        Path headerOnly = write("header.csv", HEADER);
        assertEquals(headerOnly + ": has a header but no ratings",
                assertThrows(BadDataException.class, () -> read(headerOnly)).getMessage());

        Path noHeader = write("noheader.csv", "1,31,2.5,1260759144\n");
        BadDataException e = assertThrows(BadDataException.class, () -> read(noHeader));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no header line"), e.getMessage());
        assertEquals("1,31,2.5,1260759144", e.text());

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write((HEADER + "1,31,2.5,1\n").getBytes(StandardCharsets.UTF_8));
        }
        Path gzip = write("ratings.csv.gz", gz.toByteArray());
        assertTrue(assertThrows(BadDataException.class, () -> read(gzip)).getMessage().contains("is gzip-compressed"));

        Path zip = write("ratings.zip", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        assertTrue(assertThrows(BadDataException.class, () -> read(zip)).getMessage().contains("is a zip archive"));

        byte[] junk = new byte[4096];
        new java.util.Random(3).nextBytes(junk);
        junk[10] = 0;
        Path binary = write("ratings.bin", junk);
        assertTrue(assertThrows(BadDataException.class, () -> RatingsReader.read(binary, RatingFormat.CSV, false))
                .getMessage().contains("is binary, not text"));

        Path unknown = write("notes.txt", "hello world\n");
        e = assertThrows(BadDataException.class, () -> read(unknown));
        assertTrue(e.getMessage().contains("not a ratings file"), e.getMessage());

        Path missing = dir.resolve("missing.csv");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(missing)).getMessage().contains("no such file"));

        Path badHeader = write("other.csv", "userId,movieId,score,timestamp\n1,2,3,4\n");
        e = assertThrows(BadDataException.class, () -> RatingsReader.read(badHeader, RatingFormat.CSV, false));
        assertTrue(e.getMessage().contains("the header has no rating column"), e.getMessage());
    }

    @Test
    void skipBadLinesCountsAndShowsTheFirst() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 20; i++) {
            csv.append(i % 4 == 0 ? "x," + i + ",3.0,1\n" : "1," + i + ",3.0,1\n");
        }
        ParsedRatings p = RatingsReader.read(write("ratings.csv", csv.toString()), null, true);
        assertEquals(15, p.ratings().size());
        assertEquals(5, p.skippedLines());
        assertEquals(5, p.skippedExamples().size());
        assertEquals("line 5: userId \"x\" is not a whole number: \"x,4,3.0,1\"", p.skippedExamples().get(0));
        assertTrue(p.notes().get(0).startsWith("skipped 5 bad lines (--skip-bad-lines); first: line 5:"), p.notes().toString());

        Path allBad = write("bad.csv", HEADER + "a,1,1,1\nb,1,1,1\n");
        BadDataException e = assertThrows(BadDataException.class, () -> RatingsReader.read(allBad, null, true));
        assertTrue(e.getMessage().contains("has no good ratings: all 2 lines are bad"), e.getMessage());
    }

    @Test
    void duplicatesKeepTheLatest() throws IOException {
        // User 1 rates movie 5 three times (the latest, t=300, in the middle); user 2 twice at the same time.
        Path grouped = write("ratings.csv", HEADER + "1,5,1.0,100\n1,5,4.0,300\n1,6,2.0,50\n1,5,2.0,200\n"
                + "2,5,3.0,10\n2,5,3.5,10\n");
        ParsedRatings p = read(grouped);
        assertEquals(3, p.duplicatesRemoved());
        assertEquals(3, p.ratings().size());
        assertEquals(4.0f, rating(p.ratings(), 1, 5));
        assertEquals(3.5f, rating(p.ratings(), 2, 5));
        assertEquals(2.0f, rating(p.ratings(), 1, 6));
        assertTrue(p.notes().get(0).contains("removed 3 duplicate (user, movie) ratings"), p.notes().toString());

        // The same with users interleaved (no grouping by user): the same answer.
        Path mixed = write("mixed.csv", HEADER + "2,5,3.0,10\n1,5,1.0,100\n1,6,2.0,50\n2,5,3.5,10\n1,5,4.0,300\n1,5,2.0,200\n");
        ParsedRatings q = read(mixed);
        assertEquals(3, q.duplicatesRemoved());
        assertEquals(4.0f, rating(q.ratings(), 1, 5));
        assertEquals(3.5f, rating(q.ratings(), 2, 5));
    }

    @Test
    void tinyChunksGiveTheSameColumnsAndLineNumbers() throws IOException {
        SyntheticMovieLens.Dataset twin = SyntheticMovieLens.generate(20_000, 5);
        Path file = dir.resolve("ratings.csv");
        RatingsWriter.writeRatingsCsv(twin.ratings(), file);
        Ratings whole = RatingsReader.read(file, null, false).ratings();
        for (int chunk : new int[] {29, 64, 1000, 4096}) {
            SameRatings.assertSameRatings(whole, RatingsReader.read(file, null, false, chunk).ratings(), "chunk " + chunk);
        }
        SameRatings.assertSameRatings(twin.ratings(), whole, "the round trip through the CSV");

        // A bad line deep in the file is found by a later chunk and still gets its true line number.
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(15_000, "1,2,3,oops");
        Files.write(file, lines);
        BadDataException e = assertThrows(BadDataException.class, () -> RatingsReader.read(file, null, false, 1000));
        assertEquals(15_001, e.line());
        assertEquals("1,2,3,oops", e.text());
        ParsedRatings skipped = RatingsReader.read(file, null, true, 333);
        assertEquals(1, skipped.skippedLines());
        assertEquals("line 15001: timestamp \"oops\" is not whole Unix seconds: \"1,2,3,oops\"", skipped.skippedExamples().get(0));
    }
}
