package org.scatterlens.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import org.scatterlens.data.DatasetStats;
import org.scatterlens.data.Datasets;
import org.scatterlens.data.LoadedData;
import org.scatterlens.data.SyntheticMovieLens;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens stats}: a first look at a dataset. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Counts, id ranges, the rating histogram, ratings per user and per movie, and the load time of a dataset.")
public final class StatsCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--seed", description = "Seed of the synthetic twin (default: ${DEFAULT-VALUE}).")
    long seed = SyntheticMovieLens.DEFAULT_SEED;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws IOException {
        LoadedData data;
        try {
            data = Datasets.load(dataOptions.spec(seed));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        System.out.println(data.description());
        for (String note : data.notes()) {
            System.out.println("  " + note);
        }
        System.out.println();
        DatasetStats.of(data.ratings()).lines().forEach(System.out::println);
        System.out.printf("%-18s %,d with titles%n", "movie metadata", data.movies().size());
        if (data.noiseFloorRmse().isPresent()) {
            System.out.printf("%-18s %.4f RMSE (the best any model can do)%n", "noise floor", data.noiseFloorRmse().getAsDouble());
        }
        System.out.printf("%-18s %.2f s%n", "load time", data.loadSeconds());
        System.out.printf("%-18s %s%n", "fingerprint", data.fingerprint());
        return 0;
    }
}
