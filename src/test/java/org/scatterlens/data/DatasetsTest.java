package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void syntheticCarriesItsNoiseFloorAndAStableFingerprint() {
        DataSpec spec = DataSpec.of("synthetic").withSyntheticRatings(20_000);
        LoadedData a = Datasets.load(spec);
        LoadedData b = Datasets.load(spec);
        assertEquals(20_000, a.ratings().size());
        assertTrue(a.noiseFloorRmse().isPresent());
        assertEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.fingerprint(), Datasets.load(spec.withSeed(43)).fingerprint());
        assertEquals(a.ratings().items().size(), a.movies().size());
        assertTrue(a.description().startsWith("synthetic ML-20M twin: 20,000 ratings"), a.description());
    }

    @Test
    void aFolderLoadsThroughTheCacheWithItsMovies() throws IOException {
        SyntheticMovieLens.Dataset twin = SyntheticMovieLens.generate(20_000, 4);
        Path folder = Files.createDirectories(dir.resolve("data"));
        RatingsWriter.writeRatingsCsv(twin.ratings(), folder.resolve("ratings.csv"));
        RatingsWriter.writeMoviesCsv(twin.movies(), folder.resolve("movies.csv"));
        DataSpec spec = DataSpec.of(folder.toString()).withCacheHome(dir.resolve("home"));

        LoadedData first = Datasets.load(spec);
        assertTrue(first.notes().get(0).contains("cache written to " + folder.resolve("ratings.csv.slcache").toAbsolutePath()),
                first.notes().toString());
        LoadedData second = Datasets.load(spec);
        assertTrue(second.notes().get(0).startsWith("read the cache "), second.notes().toString());
        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals(twin.movies().all(), second.movies().all());
        assertEquals(folder.resolve("ratings.csv") + " (csv format): 20,000 ratings, " + String.format("%,d", twin.ratings().users().size())
                + " users, " + String.format("%,d", twin.ratings().items().size()) + " movies", second.description());
        assertTrue(second.noiseFloorRmse().isEmpty());

        // The fingerprint follows the content, not the path.
        Path elsewhere = Files.createDirectories(dir.resolve("copy")).resolve("rating.csv");
        Files.copy(folder.resolve("ratings.csv"), elsewhere, StandardCopyOption.COPY_ATTRIBUTES);
        LoadedData copy = Datasets.load(DataSpec.of(elsewhere.toString()).withCache(false));
        assertEquals(first.fingerprint(), copy.fingerprint());
        assertTrue(copy.notes().get(0).contains("(cache off)"), copy.notes().toString());
        assertTrue(copy.notes().get(1).startsWith("no movie titles"), copy.notes().toString());
    }

    @Test
    void missingDataIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(DataSpec.of(dir.resolve("nope.csv").toString())));
        assertTrue(e.getMessage().contains("no such file or dataset"), e.getMessage());
        assertTrue(e.getMessage().contains("ml-20m"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.load(DataSpec.of(dir.toString())));
        assertTrue(e.getMessage().startsWith("no ratings file in " + dir), e.getMessage());
    }

    @Test
    void specValidatesItsFields() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSpec.of(" ")).getMessage().contains("data is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSpec.of("x").withFormat("xml"))
                .getMessage().contains("format 'xml' is not one of csv, kaggle-csv"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSpec.of("synthetic").withSyntheticRatings(5))
                .getMessage().contains("synthetic ratings 5 is outside"));
        DataSpec spec = new DataSpec("synthetic", "dat", true, 30_000, 3, null);
        assertTrue(spec.useCache());
        assertEquals(RatingFormat.DAT, spec.ratingFormat());
    }
}
