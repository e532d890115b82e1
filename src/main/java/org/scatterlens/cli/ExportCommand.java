package org.scatterlens.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.scatterlens.infer.Export;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens export}: the embeddings for TensorBoard's Embedding Projector or for numpy. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"The embeddings for TensorBoard's Embedding Projector (tsv) or for numpy (npy).",
                "tsv: vectors.tsv and metadata.tsv (title, genres, rating count) of the movie embeddings;",
                "load them in the Projector (projector.tensorflow.org: Load). npy: one .npy per table."})
public final class ExportCommand implements Callable<Integer>, DebugOption.Holder {
    enum Format { tsv, npy }

    @Mixin
    DebugOption debug;

    @Mixin
    ModelOption model;

    @Option(names = "--format", required = true, paramLabel = "tsv|npy", description = "tsv (Projector) or npy (numpy).")
    Format format;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "export", description = "Folder to write into (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--min-ratings", paramLabel = "K", defaultValue = "0",
            description = "tsv: only movies with at least K training ratings (default ${DEFAULT-VALUE}).")
    int minRatings;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws Exception {
        if (format == Format.npy && minRatings != 0) {
            throw new IllegalArgumentException("--min-ratings goes with --format tsv (npy writes whole tables)");
        }
        RatingModel m = model.load();
        List<Path> written = format == Format.tsv ? Export.projector(m, out, minRatings) : Export.npy(m, out);
        for (Path p : written) {
            System.out.println("wrote " + p);
        }
        return 0;
    }
}
