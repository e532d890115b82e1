package org.scatterlens.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.scatterlens.data.DataSpec;
import org.scatterlens.data.Datasets;
import org.scatterlens.data.LoadedData;
import org.scatterlens.data.RatingsWriter;
import org.scatterlens.data.Split;
import org.scatterlens.data.Splits;
import org.scatterlens.data.SyntheticMovieLens;

/**
 * The full 20M-rating twin every benchmark shares, made once: written as an
 * ml-20m ratings.csv under {@code -Dscatterlens.bench.dir} (default
 * ~/.cache/scatterlens/bench), then loaded through the binary cache like any
 * file a user gives {@code --data}.
 */
final class BenchData {
    static final long SEED = SyntheticMovieLens.DEFAULT_SEED;
    /** DESIGN.md: accuracy on a seeded 90/10 random split. */
    static final double VALIDATION_FRACTION = 0.10;

    private BenchData() {}

    static Path dir() {
        String configured = System.getProperty("scatterlens.bench.dir");
        return configured != null ? Path.of(configured) : Datasets.defaultCacheHome().resolve("bench");
    }

    /** The twin as ratings.csv, generated on first use (about 540 MB). */
    static Path twinCsv() {
        Path csv = dir().resolve("twin-20m-seed" + SEED).resolve("ratings.csv");
        if (Files.isRegularFile(csv)) {
            return csv;
        }
        try {
            Files.createDirectories(csv.getParent());
            SyntheticMovieLens.Dataset twin = SyntheticMovieLens.generate(SyntheticMovieLens.FULL_RATINGS, SEED);
            Path tmp = csv.resolveSibling("ratings.csv.tmp");
            RatingsWriter.writeRatingsCsv(twin.ratings(), tmp);
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the benchmark twin to " + csv, e);
        }
    }

    /** The twin loaded through the binary cache (written beside the CSV on the first load). */
    static LoadedData twin() {
        return Datasets.load(DataSpec.of(twinCsv().toString()));
    }

    static Split split(LoadedData data) {
        return Splits.random(data.ratings(), VALIDATION_FRACTION, SEED);
    }
}
