package org.scatterlens.cli;

import java.nio.file.Path;
import java.util.Locale;

import org.scatterlens.data.DataSpec;
import org.scatterlens.data.GroupLensDataset;
import org.scatterlens.data.RatingFormat;
import org.scatterlens.data.SyntheticMovieLens;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Which ratings a command works on: {@code --data} and the options that go
 * with it. Mixed into train, eval and stats; {@link #spec(long)} turns them
 * into the {@link DataSpec} that {@code Datasets.load} takes.
 */
public final class DataOptions {
    @Option(names = "--data", defaultValue = DataSpec.SYNTHETIC, paramLabel = "SOURCE",
            description = "'synthetic' (the ML-20M twin, default), a GroupLens dataset (downloaded once: "
                    + "ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-latest-small, ml-latest), or a ratings file or folder.")
    String data;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Read the ratings as this layout instead of detecting it: csv, kaggle-csv, kaggle-learn, dat, u.data.")
    String format;

    @Option(names = "--skip-bad-lines",
            description = "Skip malformed lines (counted, the first few shown) instead of stopping at the first.")
    boolean skipBadLines;

    @Option(names = "--ratings", paramLabel = "N", converter = CountConverter.class,
            description = "Size of the synthetic twin, e.g. 500k or 2M (default: ML-20M's 20,000,263).")
    long ratings = SyntheticMovieLens.FULL_RATINGS;

    @Option(names = "--movies", paramLabel = "FILE",
            description = "Movie titles and genres (movies.csv, movie.csv, movies.dat, u.item); default: beside the ratings.")
    Path movies;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Where GroupLens archives are fetched from (default: files.grouplens.org, or -Dscatterlens.mirror).")
    String mirror;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Downloads and caches of read-only folders (default: ~/.cache/scatterlens).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Parse the ratings file even when a binary cache of it exists, and write none.")
    boolean noCache;

    /** The spec these options describe; {@code seed} seeds the synthetic twin. */
    public DataSpec spec(long seed) {
        if (format != null) {
            RatingFormat.byId(format);
        }
        if (GroupLensDataset.byId(data).isEmpty() && !data.equalsIgnoreCase(DataSpec.SYNTHETIC) && mirror != null) {
            throw new IllegalArgumentException("--mirror applies to GroupLens datasets (" + GroupLensDataset.ids()
                    + "), not to " + data);
        }
        return new DataSpec(data, format, skipBadLines, ratings, seed, movies, cacheDir, mirror, !noCache, true);
    }

    /** "500000", "500k", "2M", "20_000_263", "1,000" to a count. */
    public static final class CountConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
            long scale = v.endsWith("k") ? 1_000 : v.endsWith("m") ? 1_000_000 : 1;
            String digits = scale == 1 ? v : v.substring(0, v.length() - 1);
            try {
                return Math.round(Double.parseDouble(digits) * scale);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a count such as 500000, 500k or 2M");
            }
        }
    }
}
