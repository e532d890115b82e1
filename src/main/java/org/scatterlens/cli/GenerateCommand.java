package org.scatterlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scatterlens.data.RatingsWriter;
import org.scatterlens.data.SyntheticMovieLens;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens generate}: the synthetic twin as ml-20m-layout CSV files. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes the synthetic ML-20M twin as ratings.csv (and movies.csv beside it) in GroupLens's ml-20m layout.")
public final class GenerateCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ratings CSV to write.")
    Path out;

    @Option(names = "--movies-out", paramLabel = "FILE", description = "The movies CSV to write (default: movies.csv beside --out).")
    Path moviesOut;

    @Option(names = "--ratings", paramLabel = "N", converter = DataOptions.CountConverter.class,
            description = "Ratings, e.g. 500k or 2M (default: ML-20M's 20,000,263).")
    long ratings = SyntheticMovieLens.FULL_RATINGS;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = SyntheticMovieLens.DEFAULT_SEED;

    @Option(names = "--force", description = "Replace files that exist.")
    boolean force;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws IOException {
        Path movies = moviesOut != null ? moviesOut : out.toAbsolutePath().resolveSibling("movies.csv");
        for (Path p : new Path[] {out, movies}) {
            if (Files.exists(p) && !force) {
                throw new IllegalArgumentException(p + " exists: --force replaces it");
            }
        }
        long started = System.nanoTime();
        SyntheticMovieLens.Dataset twin = SyntheticMovieLens.generate(ratings, seed);
        double generated = (System.nanoTime() - started) / 1e9;
        RatingsWriter.writeRatingsCsv(twin.ratings(), out);
        RatingsWriter.writeMoviesCsv(twin.movies(), movies);
        System.out.println(twin.description());
        System.out.printf("noise floor %.4f RMSE; generated in %.2f s, written in %.2f s%n", twin.noiseFloorRmse(), generated,
                (System.nanoTime() - started) / 1e9 - generated);
        System.out.println("ratings: " + out);
        System.out.println("movies:  " + movies);
        return 0;
    }
}
