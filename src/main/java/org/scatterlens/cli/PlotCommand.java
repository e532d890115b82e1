package org.scatterlens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scatterlens.infer.Plots;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens plot}: the training curves and the map of the movie embeddings, as PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"PNG plots: the training curves and a 2-D map of the movie embeddings.",
                "training-curves.png: train and validation MAE per epoch, the per-movie-mean baseline as a line.",
                "embedding-map.png: the movie embeddings on their first two principal axes (PCA), coloured by",
                "genre, the most rated titles labelled."})
public final class PlotCommand implements Callable<Integer>, DebugOption.Holder {
    public static final String CURVES_PNG = "training-curves.png";
    public static final String MAP_PNG = "embedding-map.png";

    @Mixin
    DebugOption debug;

    @Mixin
    ModelOption model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "plots", description = "Folder to write into (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--min-ratings", paramLabel = "K", defaultValue = "0",
            description = "Map: only movies with at least K training ratings (default ${DEFAULT-VALUE}).")
    int minRatings;

    @Option(names = "--max-points", paramLabel = "N", defaultValue = "3000",
            description = "Map: at most N movies, the most rated (default ${DEFAULT-VALUE}).")
    int maxPoints;

    @Option(names = "--labels", paramLabel = "N", defaultValue = "20",
            description = "Map: label the N most rated movies (default ${DEFAULT-VALUE}).")
    int labels;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws Exception {
        // Before anything touches AWT: drawing a PNG needs no display, and a desktop must not grab focus.
        System.setProperty("java.awt.headless", "true");
        Plots.MapOptions options = new Plots.MapOptions(minRatings, maxPoints, labels, Plots.MapOptions.defaults().genres());
        RatingModel m = model.load();
        if (m.history().isEmpty()) {
            System.err.println("note: the model has no training history: no training curves");
        } else {
            Path curves = out.resolve(CURVES_PNG);
            Plots.writePng(Plots.trainingCurves(m), curves);
            System.out.println("wrote " + curves);
        }
        MovieCells.noteMissingTitles(m, System.err);
        Path map = out.resolve(MAP_PNG);
        Plots.writePng(Plots.embeddingMap(m, options), map);
        System.out.println("wrote " + map);
        return 0;
    }
}
