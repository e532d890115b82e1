package org.scatterlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.scatterlens.infer.MovieFiles;
import org.scatterlens.model.ModelStore;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.Option;

/** {@code --model DIR} and {@code --movies FILE}: the model a command uses. Mixed into the commands that use one. */
public final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model directory, as train writes it (runs/latest, or a runs folder: its latest).")
    Path dir;

    @Option(names = "--movies", paramLabel = "FILE",
            description = "Movie titles, years and genres (movies.csv, movie.csv, movies.dat, u.item or a model's "
                    + "movies.tsv), in place of those the model keeps.")
    Path movies;

    /** The model, with the titles of --movies when given. */
    RatingModel load() throws IOException {
        RatingModel model = load(dir);
        return movies == null ? model : model.withMovies(MovieFiles.read(movies));
    }

    /** The model in {@code dir}; a runs folder (one model per run, "latest" pointing at the newest) means its latest. */
    static RatingModel load(Path dir) throws IOException {
        Path path = dir;
        if (Files.isDirectory(path) && !Files.exists(path.resolve(ModelStore.MODEL_JSON))
                && Files.isDirectory(path.resolve("latest"))) {
            path = path.resolve("latest");
        }
        return ModelStore.load(path);
    }
}
