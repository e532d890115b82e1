package org.scatterlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.testing.ZipServer;

class DataCommandsTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void generateThenStats() {
        Path out = dir.resolve("twin").resolve("ratings.csv");
        CliRun generated = run("generate", "--out", out.toString(), "--ratings", "20k", "--seed", "5");
        assertEquals(0, generated.code(), generated.err());
        assertTrue(generated.out().contains("synthetic ML-20M twin: 20,000 ratings"), generated.out());
        assertTrue(Files.isRegularFile(out.resolveSibling("movies.csv")));

        CliRun again = run("generate", "--out", out.toString(), "--ratings", "20k");
        assertEquals(2, again.code());
        assertTrue(again.err().contains(out + " exists: --force replaces it"), again.err());

        CliRun stats = run("stats", "--data", out.getParent().toString(), "--cache-dir", dir.resolve("home").toString());
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("ratings            20,000"), stats.out());
        assertTrue(stats.out().contains("ratings per user"), stats.out());
        assertTrue(stats.out().contains("cache written to"), stats.out());

        CliRun twin = run("stats", "--ratings", "20_000");
        assertEquals(0, twin.code(), twin.err());
        assertTrue(twin.out().contains("noise floor"), twin.out());
    }

    @Test
    void badDataIsOneLineWithFileAndLineAndExitTwo() throws IOException {
        Path file = dir.resolve("ratings.csv");
        Files.writeString(file, "userId,movieId,rating,timestamp\n1,2,3.5,1\n1,3,high,2\n");
        CliRun bad = run("stats", "--data", file.toString(), "--no-cache");
        assertEquals(2, bad.code());
        String[] lines = bad.err().split("\n");
        assertEquals("scatterlens stats: " + file + ", line 3: rating \"high\" is not a number (--skip-bad-lines skips such lines): "
                + "\"1,3,high,2\"", lines[0]);
        CliRun skipped = run("stats", "--data", file.toString(), "--no-cache", "--skip-bad-lines");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains("skipped 1 bad line (--skip-bad-lines); first: line 3"), skipped.out());

        CliRun format = run("stats", "--data", file.toString(), "--format", "xml");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("format 'xml' is not one of"), format.err());
        CliRun count = run("stats", "--ratings", "lots");
        assertEquals(2, count.code());
        assertTrue(count.err().contains("'lots' is not a count"), count.err());
    }

    @Test
    void downloadFromAMirror() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("ml-latest-small/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n");
        entries.put("ml-latest-small/movies.csv", "movieId,title,genres\n1,Toy Story (1995),Comedy\n3,Grumpier Old Men (1995),Comedy\n");
        byte[] zip = ZipServer.zip(entries);
        Path home = dir.resolve("home");
        try (ZipServer server = new ZipServer()) {
            server.serve("ml-latest-small.zip", zip);
            server.serve("ml-latest-small.zip.md5", ZipServer.md5File("ml-latest-small.zip", zip));
            CliRun download = run("download", "ml-latest-small", "--mirror", server.baseUrl(), "--cache-dir", home.toString());
            assertEquals(0, download.code(), download.err());
            assertTrue(download.out().contains("verified and extracted: " + home.resolve("ml-latest-small")), download.out());
            CliRun stats = run("stats", "--data", "ml-latest-small", "--mirror", server.baseUrl(), "--cache-dir", home.toString());
            assertEquals(0, stats.code(), stats.err());
            assertTrue(stats.out().contains("ml-latest-small (csv format): 2 ratings"), stats.out());
        }
        CliRun unknown = run("download", "ml-3m");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'ml-3m' is not a GroupLens dataset"), unknown.err());
    }
}
