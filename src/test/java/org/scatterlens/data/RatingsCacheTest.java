package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsCacheTest {
    @TempDir
    Path dir;

    private Path ratingsFile(String name, long ratings) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Path file = folder.resolve("ratings.csv");
        RatingsWriter.writeRatingsCsv(SyntheticMovieLens.generate(ratings, 9).ratings(), file);
        return file;
    }

    @Test
    void aStoredCacheIsFoundAndEqualsTheParse() throws IOException {
        Path file = ratingsFile("a", 20_000);
        Path home = dir.resolve("home");
        RatingsCache.Key key = RatingsCache.Key.of(file, null, false);
        assertTrue(RatingsCache.load(file, key, home).isEmpty());
        ParsedRatings parsed = RatingsReader.read(file, null, false);
        Path where = RatingsCache.store(file, key, parsed, home);
        assertEquals(RatingsCache.besidePath(file), where);
        assertEquals(file.toAbsolutePath() + ".slcache", where.toString());
        RatingsCache.Hit hit = RatingsCache.load(file, RatingsCache.Key.of(file, null, false), home).orElseThrow();
        assertEquals(where, hit.path());
        SameRatings.assertSameRatings(parsed.ratings(), hit.parsed().ratings(), "cached");
        assertEquals(parsed.format(), hit.parsed().format());
        assertEquals(parsed.dataLines(), hit.parsed().dataLines());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(2, files.count(), "the ratings and the cache, no temporary files");
        }
    }

    @Test
    void skippedLinesAndDuplicatesSurviveTheCache() throws IOException {
        Path file = Files.createDirectories(dir.resolve("b")).resolve("ratings.csv");
        Files.writeString(file, "userId,movieId,rating,timestamp\n1,2,3.0,5\nx,2,3,5\n1,2,4.0,9\n");
        RatingsCache.Key key = RatingsCache.Key.of(file, null, true);
        ParsedRatings parsed = RatingsReader.read(file, null, true);
        RatingsCache.store(file, key, parsed, dir.resolve("home"));
        ParsedRatings cached = RatingsCache.load(file, key, dir.resolve("home")).orElseThrow().parsed();
        assertEquals(parsed.notes(), cached.notes());
        assertEquals(1, cached.skippedLines());
        assertEquals(1, cached.duplicatesRemoved());
        // A strict load must not be answered by a cache that skipped lines.
        assertTrue(RatingsCache.load(file, RatingsCache.Key.of(file, null, false), dir.resolve("home")).isEmpty());
        assertTrue(RatingsCache.load(file, RatingsCache.Key.of(file, RatingFormat.KAGGLE_LEARN, true), dir.resolve("home")).isEmpty());
    }

    @Test
    void anyChangeToTheSourceInvalidatesIt() throws IOException {
        Path file = ratingsFile("c", 20_000);
        Path home = dir.resolve("home");
        RatingsCache.store(file, RatingsCache.Key.of(file, null, false), RatingsReader.read(file, null, false), home);
        FileTime modified = Files.getLastModifiedTime(file);

        // Same size, same time, one rating changed near the start.
        byte[] bytes = Files.readAllBytes(file);
        int at = 40;
        while (bytes[at] != '.') {
            at++;
        }
        bytes[at + 1] = (byte) (bytes[at + 1] == '0' ? '5' : '0');
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, modified);
        assertTrue(RatingsCache.load(file, RatingsCache.Key.of(file, null, false), home).isEmpty(), "content changed");

        // Only the time changed.
        Path file2 = ratingsFile("d", 20_000);
        RatingsCache.store(file2, RatingsCache.Key.of(file2, null, false), RatingsReader.read(file2, null, false), home);
        Files.setLastModifiedTime(file2, FileTime.fromMillis(Files.getLastModifiedTime(file2).toMillis() + 5_000));
        assertTrue(RatingsCache.load(file2, RatingsCache.Key.of(file2, null, false), home).isEmpty(), "time changed");

        // A damaged cache is ignored, not an error.
        Path file3 = ratingsFile("e", 20_000);
        RatingsCache.Key key3 = RatingsCache.Key.of(file3, null, false);
        Path cache = RatingsCache.store(file3, key3, RatingsReader.read(file3, null, false), home);
        byte[] whole = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(whole, whole.length - 100));
        assertTrue(RatingsCache.load(file3, key3, home).isEmpty(), "truncated cache");
    }

    @Test
    void unwritableFolderFallsBackToTheCacheHome() throws IOException {
        Path file = ratingsFile("f", 20_000);
        Path home = dir.resolve("home");
        // Something that cannot be replaced where the cache would go: a non-empty folder.
        Path beside = RatingsCache.besidePath(file);
        Files.createDirectories(beside.resolve("occupied"));
        RatingsCache.Key key = RatingsCache.Key.of(file, null, false);
        Path where = RatingsCache.store(file, key, RatingsReader.read(file, null, false), home);
        assertEquals(RatingsCache.fallbackPath(file, home), where);
        assertTrue(where.startsWith(home.resolve("ratings")));
        assertEquals(where, RatingsCache.load(file, key, home).orElseThrow().path());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(2, files.count(), "no temporary file left beside the source");
        }
    }

    @Test
    void readOnlyFolderFallsBackToTheCacheHome() throws IOException {
        Path file = ratingsFile("g", 20_000);
        Path folder = file.getParent();
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            boolean writable;
            try {
                Files.delete(Files.createFile(folder.resolve("probe")));
                writable = true;
            } catch (IOException e) {
                writable = false;
            }
            assumeTrue(!writable, "permissions do not stop this user (root): the occupied-path test covers the fallback");
            Path home = dir.resolve("home");
            RatingsCache.Key key = RatingsCache.Key.of(file, null, false);
            Path where = RatingsCache.store(file, key, RatingsReader.read(file, null, false), home);
            assertEquals(RatingsCache.fallbackPath(file, home), where);
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFailedWriteLeavesNeitherTargetNorTemporaryFile() throws IOException {
        Path target = dir.resolve("out.bin");
        assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Optional.empty(), files.findAny());
        }
    }
}
