package org.scatterlens.cli;

import java.io.PrintStream;

import org.scatterlens.data.Movies;
import org.scatterlens.model.RatingModel;

/** The title, year and genres columns of a movie in the commands' tables. */
final class MovieCells {
    private MovieCells() {}

    static String title(RatingModel model, int rawId) {
        return model.movies().get(rawId).map(Movies.Movie::title).orElse("(no title)");
    }

    static String year(RatingModel model, int rawId) {
        return model.movies().get(rawId).map(m -> m.year() > 0 ? Integer.toString(m.year()) : "").orElse("");
    }

    static String genres(RatingModel model, int rawId) {
        return model.movies().get(rawId).map(m -> String.join("|", m.genres())).orElse("");
    }

    /** "Toy Story (1995)", or "movie 1" without metadata. */
    static String name(RatingModel model, int rawId) {
        return model.movies().get(rawId).map(Movies.Movie::displayTitle).orElse("movie " + rawId);
    }

    /** Says once, on {@code err}, that titles are missing and how to add them. */
    static void noteMissingTitles(RatingModel model, PrintStream err) {
        if (model.movies().size() == 0) {
            err.println("note: the model keeps no movie titles; --movies FILE (movies.csv, movies.dat, u.item) adds them");
        }
    }
}
