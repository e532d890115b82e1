package org.scatterlens.data;

import java.nio.file.Path;

/**
 * Which ratings to load and how. {@link #of(String)} gives the defaults; the
 * {@code with...} methods change one field.
 *
 * @param data             "synthetic" (the ML-20M twin), a GroupLens name ("ml-20m", see {@link GroupLensDataset}),
 *                         or a path to a ratings file or to a folder holding one
 * @param format           a {@link RatingFormat#id()} to force, or null to detect it
 * @param skipBadLines     skip malformed lines (counted, the first few reported) instead of failing
 * @param syntheticRatings size of the synthetic twin
 * @param seed             seed of the synthetic twin
 * @param moviesFile       movie titles and genres, or null to look beside the ratings
 * @param cacheHome        downloads and read-only-folder caches, or null for {@link Datasets#defaultCacheHome()}
 * @param mirror           base URL of the GroupLens archives, or null for {@link Downloads#baseUrl(String)}'s default
 * @param useCache         read and write the binary cache of parsed files
 * @param showProgress     draw a progress bar on stderr while downloading
 */
public record DataSpec(String data, String format, boolean skipBadLines, long syntheticRatings, long seed, Path moviesFile,
                       Path cacheHome, String mirror, boolean useCache, boolean showProgress) {
    public static final String SYNTHETIC = "synthetic";

    /** @throws IllegalArgumentException naming the bad field */
    public DataSpec {
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data is empty: give 'synthetic', a GroupLens name (" + GroupLensDataset.ids()
                    + ") or a path");
        }
        if (format != null) {
            RatingFormat.byId(format);
        }
        if (syntheticRatings < SyntheticMovieLens.MIN_RATINGS || syntheticRatings > SyntheticMovieLens.MAX_RATINGS) {
            throw new IllegalArgumentException("synthetic ratings " + syntheticRatings + " is outside ["
                    + SyntheticMovieLens.MIN_RATINGS + ", " + SyntheticMovieLens.MAX_RATINGS + "]");
        }
    }

    /** The fields the training engine sets; the rest take their defaults. */
    public DataSpec(String data, String format, boolean skipBadLines, long syntheticRatings, long seed, Path moviesFile) {
        this(data, format, skipBadLines, syntheticRatings, seed, moviesFile, null, null, true, false);
    }

    /** {@code data} with every other field at its default: detected format, strict, the full twin, seed 42, cache on. */
    public static DataSpec of(String data) {
        return new DataSpec(data, null, false, SyntheticMovieLens.FULL_RATINGS, SyntheticMovieLens.DEFAULT_SEED, null);
    }

    public boolean isSynthetic() {
        return data.trim().equalsIgnoreCase(SYNTHETIC);
    }

    /** The forced format, or null. */
    public RatingFormat ratingFormat() {
        return format == null ? null : RatingFormat.byId(format);
    }

    public Path cacheHomeOrDefault() {
        return cacheHome != null ? cacheHome : Datasets.defaultCacheHome();
    }

    public DataSpec withFormat(String f) {
        return new DataSpec(data, f, skipBadLines, syntheticRatings, seed, moviesFile, cacheHome, mirror, useCache, showProgress);
    }

    public DataSpec withSkipBadLines(boolean skip) {
        return new DataSpec(data, format, skip, syntheticRatings, seed, moviesFile, cacheHome, mirror, useCache, showProgress);
    }

    public DataSpec withSyntheticRatings(long ratings) {
        return new DataSpec(data, format, skipBadLines, ratings, seed, moviesFile, cacheHome, mirror, useCache, showProgress);
    }

    public DataSpec withSeed(long s) {
        return new DataSpec(data, format, skipBadLines, syntheticRatings, s, moviesFile, cacheHome, mirror, useCache, showProgress);
    }

    public DataSpec withMoviesFile(Path movies) {
        return new DataSpec(data, format, skipBadLines, syntheticRatings, seed, movies, cacheHome, mirror, useCache, showProgress);
    }

    public DataSpec withCacheHome(Path home) {
        return new DataSpec(data, format, skipBadLines, syntheticRatings, seed, moviesFile, home, mirror, useCache, showProgress);
    }

    public DataSpec withMirror(String url) {
        return new DataSpec(data, format, skipBadLines, syntheticRatings, seed, moviesFile, cacheHome, url, useCache, showProgress);
    }

    public DataSpec withCache(boolean use) {
        return new DataSpec(data, format, skipBadLines, syntheticRatings, seed, moviesFile, cacheHome, mirror, use, showProgress);
    }

    public DataSpec withProgress(boolean show) {
        return new DataSpec(data, format, skipBadLines, syntheticRatings, seed, moviesFile, cacheHome, mirror, useCache, show);
    }
}
