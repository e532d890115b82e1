package org.scatterlens.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The one entry point from a {@link DataSpec} to {@link LoadedData}: the
 * synthetic twin, a GroupLens dataset (downloaded and verified once), or a
 * file or folder, read through the binary cache, with its movies.
 */
public final class Datasets {
    /** Ratings files looked for, in this order, when the data is a folder. */
    public static final List<String> RATINGS_NAMES = List.of("ratings.csv", "rating.csv", "ratings.dat", "u.data");

    private Datasets() {}

    /**
     * Where downloads and caches of read-only folders go: -Dscatterlens.cache, else $SCATTERLENS_CACHE,
     * else $XDG_CACHE_HOME/scatterlens, else ~/.cache/scatterlens.
     */
    public static Path defaultCacheHome() {
        String home = System.getProperty("scatterlens.cache");
        if (home == null || home.isBlank()) {
            home = System.getenv("SCATTERLENS_CACHE");
        }
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "scatterlens");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "scatterlens");
    }

    /**
     * Loads what {@code spec} names.
     *
     * @throws IllegalArgumentException when the data does not exist or is malformed ({@link BadDataException})
     * @throws UncheckedIOException     when reading, downloading or verifying fails
     */
    public static LoadedData load(DataSpec spec) {
        long started = System.nanoTime();
        try {
            if (spec.isSynthetic()) {
                return synthetic(spec, started);
            }
            List<String> notes = new ArrayList<>();
            Optional<GroupLensDataset> known = GroupLensDataset.byId(spec.data());
            Path ratingsFile;
            Path moviesFile = spec.moviesFile();
            String source;
            if (known.isPresent()) {
                GroupLensDataset dataset = known.get();
                Path home = spec.cacheHomeOrDefault();
                boolean had = Downloads.existing(dataset, home).isPresent();
                Path folder = Downloads.ensure(dataset, home, Downloads.baseUrl(spec.mirror()),
                        spec.showProgress() ? Downloads.Progress.console() : Downloads.Progress.NONE);
                notes.add((had ? "GroupLens's " + dataset.id() + " from " : "downloaded, verified and extracted "
                        + dataset.zipName() + " into ") + folder);
                ratingsFile = folder.resolve(dataset.ratingsFile());
                if (moviesFile == null) {
                    moviesFile = folder.resolve(dataset.moviesFile());
                }
                source = dataset.id();
            } else {
                ratingsFile = ratingsFile(spec.data());
                source = ratingsFile.toString();
            }
            ParsedRatings parsed = parse(ratingsFile, spec, notes);
            if (moviesFile == null) {
                moviesFile = MoviesReader.findBeside(ratingsFile).orElse(null);
            }
            Movies movies = movies(moviesFile, ratingsFile, parsed.ratings(), spec.skipBadLines(), notes);
            Ratings r = parsed.ratings();
            String description = String.format("%s (%s format): %,d ratings, %,d users, %,d movies", source,
                    parsed.format().id(), r.size(), r.users().size(), r.items().size());
            RatingsCache.Key key = RatingsCache.Key.of(ratingsFile, parsed.format(), false);
            String fingerprint = fingerprint("file " + key.size() + " " + key.headCrc() + " " + key.tailCrc() + " "
                    + parsed.format().id() + " " + r.size());
            return new LoadedData(r, movies, description, OptionalDouble.empty(), fingerprint, seconds(started), notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static LoadedData synthetic(DataSpec spec, long started) {
        SyntheticMovieLens.Dataset d = SyntheticMovieLens.generate(spec.syntheticRatings(), spec.seed());
        String fingerprint = fingerprint("synthetic v" + SyntheticMovieLens.GENERATOR_VERSION + " " + spec.syntheticRatings()
                + " " + spec.seed());
        List<String> notes = List.of(String.format("generated in %.2f s; noise floor (best possible RMSE) %.4f",
                seconds(started), d.noiseFloorRmse()));
        return new LoadedData(d.ratings(), d.movies(), d.description(), OptionalDouble.of(d.noiseFloorRmse()),
                fingerprint, seconds(started), notes);
    }

    /** The ratings file {@code data} names: itself, or the first of RATINGS_NAMES in it when it is a folder. */
    static Path ratingsFile(String data) {
        String expanded = data.startsWith("~/") ? System.getProperty("user.home") + data.substring(1) : data;
        Path path = Path.of(expanded);
        if (Files.isDirectory(path)) {
            for (String name : RATINGS_NAMES) {
                if (Files.isRegularFile(path.resolve(name))) {
                    return path.resolve(name);
                }
            }
            throw new IllegalArgumentException("no ratings file in " + path + " (looked for " + String.join(", ", RATINGS_NAMES) + ")");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or dataset: '" + data + "' (datasets: " + DataSpec.SYNTHETIC
                    + ", " + GroupLensDataset.ids() + ")");
        }
        return path;
    }

    /** Parses {@code file} through the binary cache when the spec allows it. */
    private static ParsedRatings parse(Path file, DataSpec spec, List<String> notes) throws IOException {
        RatingFormat format = spec.ratingFormat();
        long started = System.nanoTime();
        if (!spec.useCache()) {
            ParsedRatings parsed = RatingsReader.read(file, format, spec.skipBadLines());
            notes.add(String.format("parsed %s in %.2f s (cache off)", file.getFileName(), seconds(started)));
            notes.addAll(parsed.notes());
            return parsed;
        }
        Path home = spec.cacheHomeOrDefault();
        RatingsCache.Key key = RatingsCache.Key.of(file, format, spec.skipBadLines());
        Optional<RatingsCache.Hit> hit = RatingsCache.load(file, key, home);
        ParsedRatings parsed;
        if (hit.isPresent()) {
            parsed = hit.get().parsed();
            notes.add(String.format("read the cache %s in %.2f s", hit.get().path(), seconds(started)));
        } else {
            parsed = RatingsReader.read(file, format, spec.skipBadLines());
            String parsedIn = String.format("parsed %s in %.2f s", file.getFileName(), seconds(started));
            try {
                notes.add(parsedIn + "; cache written to " + RatingsCache.store(file, key, parsed, home));
            } catch (IOException e) {
                notes.add(parsedIn + "; no cache: " + e.getMessage());
            }
        }
        notes.addAll(parsed.notes());
        return parsed;
    }

    private static Movies movies(Path moviesFile, Path ratingsFile, Ratings r, boolean skipBadLines, List<String> notes)
            throws IOException {
        if (moviesFile == null) {
            notes.add("no movie titles: no " + String.join(", ", MoviesReader.NAMES) + " beside " + ratingsFile
                    + " (--movies names one)");
            return Movies.empty();
        }
        Movies movies = MoviesReader.read(moviesFile, skipBadLines, notes);
        int untitled = 0;
        for (int row = 0; row < r.items().size(); row++) {
            if (movies.get(r.items().rawId(row)).isEmpty()) {
                untitled++;
            }
        }
        if (untitled > 0) {
            notes.add(String.format("%,d of %,d rated movies have no entry in %s", untitled, r.items().size(), moviesFile));
        }
        return movies;
    }

    static String fingerprint(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
