package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.testing.ZipServer;

class DownloadsTest {
    private static final String U_DATA = "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t242\t1\t878887116\n";
    private static final String FLAGS = "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";

    @TempDir
    Path dir;

    private static byte[] ml100k() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("ml-100k/", "");
        entries.put("ml-100k/u.data", U_DATA);
        entries.put("ml-100k/u.item", "242|Kolya (1996)|24-Jan-1997||" + FLAGS + "\n302|L.A. Confidential (1997)|01-Jan-1997||"
                + FLAGS + "\n377|Heavyweights (1994)|01-Jan-1994||" + FLAGS + "\n");
        return ZipServer.zip(entries);
    }

    /** Nothing but the home's own folders: no .part files or folders left behind. */
    private static void assertNoLeftovers(Path home) throws IOException {
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> files = Files.list(home)) {
            files.forEach(p -> assertFalse(p.getFileName().toString().endsWith(".part"), "left behind: " + p));
        }
    }

    /** What ensure() throws for {@code dataset} from {@code server}. */
    private static IOException failure(ZipServer server, GroupLensDataset dataset, Path home) {
        return assertThrows(IOException.class, () -> Downloads.ensure(dataset, home, server.baseUrl(), Downloads.Progress.NONE));
    }

    @Test
    void downloadsVerifiesExtractsAndReuses() throws IOException {
        byte[] zip = ml100k();
        Path home = dir.resolve("cache");
        try (ZipServer server = new ZipServer()) {
            server.serve("ml-100k.zip", zip);
            server.serve("ml-100k.zip.md5", ZipServer.md5File("ml-100k.zip", zip));
            Path folder = Downloads.ensure(GroupLensDataset.ML_100K, home, server.baseUrl(), Downloads.Progress.NONE);
            assertEquals(home.resolve("ml-100k"), folder);
            assertEquals(U_DATA, Files.readString(folder.resolve("u.data")));
            assertTrue(Files.readString(folder.resolve(Downloads.MARKER)).contains(server.baseUrl() + "/ml-100k.zip"));
            int requests = server.requests();
            assertEquals(folder, Downloads.ensure(GroupLensDataset.ML_100K, home, server.baseUrl(), Downloads.Progress.NONE));
            assertEquals(requests, server.requests(), "the second call fetches nothing");
            assertNoLeftovers(home);

            LoadedData data = Datasets.load(DataSpec.of("ml-100k").withMirror(server.baseUrl()).withCacheHome(home));
            assertEquals(3, data.ratings().size());
            assertEquals("Kolya", data.movies().get(242).orElseThrow().title());
            assertTrue(data.description().startsWith("ml-100k (u.data format): 3 ratings"), data.description());
        }
    }

    @Test
    void wrongChecksumIsRefusedAndLeavesNothing() throws IOException {
        byte[] zip = ml100k();
        Path home = dir.resolve("cache");
        try (ZipServer server = new ZipServer()) {
            server.serve("ml-100k.zip", zip);
            server.serve("ml-100k.zip.md5", "MD5 (ml-100k.zip) = 0123456789abcdef0123456789abcdef\n".getBytes());
            IOException e = failure(server, GroupLensDataset.ML_100K, home);
            assertTrue(e.getMessage().startsWith("checksum mismatch for " + server.baseUrl() + "/ml-100k.zip"), e.getMessage());
            assertTrue(e.getMessage().contains("the published one 0123456789abcdef0123456789abcdef"), e.getMessage());
            assertFalse(Files.exists(home.resolve("ml-100k")));
            assertNoLeftovers(home);
        }
    }

    @Test
    void withoutAPublishedChecksumTheKnownOneIsUsedOrTheDownloadRefused() throws IOException {
        byte[] zip = ml100k();
        Path home = dir.resolve("cache");
        try (ZipServer server = new ZipServer()) {
            server.serve("ml-100k.zip", zip);
            server.serve("ml-latest-small.zip", zip);
            // No .md5 served: ml-100k falls back to GroupLens's known checksum, which this test zip does not have.
            IOException e = failure(server, GroupLensDataset.ML_100K, home);
            assertTrue(e.getMessage().contains("the published one 0e33842e24a9c977be4e0107933c0723"), e.getMessage());
            e = failure(server, GroupLensDataset.ML_LATEST_SMALL, home);
            assertTrue(e.getMessage().contains("refusing an unverified download"), e.getMessage());
            assertNoLeftovers(home);
        }
    }

    @Test
    void truncatedTransferFails() throws IOException {
        byte[] zip = ml100k();
        Path home = dir.resolve("cache");
        try (ZipServer server = new ZipServer()) {
            server.serve("ml-100k.zip.md5", ZipServer.md5File("ml-100k.zip", zip));
            server.serveTruncated("ml-100k.zip", zip);
            IOException e = failure(server, GroupLensDataset.ML_100K, home);
            assertTrue(e.getMessage().contains("cut short") || e.getMessage().contains("broke off"), e.getMessage());
            assertTrue(e.getMessage().contains("of " + zip.length + " bytes"), e.getMessage());
            assertFalse(Files.exists(home.resolve("ml-100k")));
            assertNoLeftovers(home);
        }
    }

    @Test
    void missingArchiveIs404() throws IOException {
        Path home = dir.resolve("cache");
        try (ZipServer server = new ZipServer()) {
            server.serve("ml-1m.zip.md5", "MD5 (ml-1m.zip) = c4d9eecfca2ab87c1945afe126590906\n".getBytes());
            IOException e = failure(server, GroupLensDataset.ML_1M, home);
            assertEquals("HTTP 404 for " + server.baseUrl() + "/ml-1m.zip", e.getMessage());
            assertNoLeftovers(home);
        }
    }

    @Test
    void entriesOutsideTheFolderAreRefused() throws IOException {
        Path home = dir.resolve("deep").resolve("cache");
        for (String evil : new String[] {"../evil", "ml-100k/../../evil", "/tmp/evil"}) {
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("ml-100k/u.data", U_DATA);
            entries.put(evil, "gotcha");
            byte[] zip = ZipServer.zip(entries);
            try (ZipServer server = new ZipServer()) {
                server.serve("ml-100k.zip", zip);
                server.serve("ml-100k.zip.md5", ZipServer.md5File("ml-100k.zip", zip));
                IOException e = failure(server, GroupLensDataset.ML_100K, home);
                assertEquals("zip entry '" + evil + "' in ml-100k.zip would land outside the target folder: refusing the archive",
                        e.getMessage());
            }
            assertFalse(Files.exists(dir.resolve("deep").resolve("evil")));
            assertFalse(Files.exists(dir.resolve("evil")));
            assertFalse(Files.exists(home.resolve("ml-100k")));
            assertNoLeftovers(home);
        }
    }

    @Test
    void mirrorComesFromTheOptionThePropertyOrGroupLens() {
        assertEquals("http://x/y", Downloads.baseUrl("http://x/y/"));
        String saved = System.getProperty("scatterlens.mirror");
        try {
            System.setProperty("scatterlens.mirror", "http://mirror");
            assertEquals("http://mirror", Downloads.baseUrl(null));
            System.clearProperty("scatterlens.mirror");
            if (System.getenv("SCATTERLENS_MIRROR") == null) {
                assertEquals(GroupLensDataset.OFFICIAL_BASE_URL, Downloads.baseUrl(null));
            }
        } finally {
            if (saved != null) {
                System.setProperty("scatterlens.mirror", saved);
            }
        }
    }
}
