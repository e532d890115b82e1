package org.scatterlens.cli;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scatterlens.infer.Predictions;
import org.scatterlens.infer.Recommender;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens recommend}: the movies a user would rate highest among those they have not rated. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"The N movies a user would rate highest, among those they have not rated.",
                "Rated movies: the lists the model keeps (train writes them), or the user's ratings in --data."})
public final class RecommendCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Mixin
    ModelOption model;

    @Option(names = "--user", required = true, paramLabel = "U", description = "User id, as in the data.")
    int user;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many movies (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--min-ratings", paramLabel = "K", defaultValue = "0",
            description = "Leave out movies with fewer training ratings (default ${DEFAULT-VALUE}).")
    int minRatings;

    @Option(names = "--data", paramLabel = "RATINGS",
            description = "Ratings file whose ratings by this user are left out (in place of the lists the model keeps).")
    Path data;

    @Option(names = "--include-rated", description = "Do not leave out movies the user rated.")
    boolean includeRated;

    private static String movies(int n) {
        return n + (n == 1 ? " movie" : " movies");
    }

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws Exception {
        if (includeRated && data != null) {
            throw new IllegalArgumentException("--include-rated and --data contradict each other: give one");
        }
        RatingModel m = model.load();
        int u = Recommender.userRow(m, user);
        BitSet rated = new BitSet();
        String excluded;
        if (includeRated) {
            excluded = "rated movies included (--include-rated)";
        } else if (data != null) {
            rated = Predictions.ratedRows(m, data, user);
            excluded = movies(rated.cardinality()) + " the user rated in " + data + " left out";
            if (rated.isEmpty()) {
                System.err.println("note: user " + user + " has no ratings of the model's movies in " + data
                        + ": nothing left out");
            }
        } else if (m.ratedMovies().isPresent()) {
            rated = Predictions.ratedRows(m, u);
            excluded = movies(rated.cardinality()) + " the user rated left out";
        } else {
            excluded = "rated movies NOT left out";
            System.err.println("note: the model keeps no lists of rated movies: movies user " + user
                    + " already rated are not left out; --data RATINGS leaves them out");
        }
        MovieCells.noteMissingTitles(m, System.err);
        List<Recommender.Scored> best = Recommender.recommend(m, user, top, minRatings, rated);
        System.out.printf(Locale.ROOT, "Top %s for user %d (%s)%n%n", movies(best.size()), user, excluded);
        TextTable table = new TextTable(">#", ">movieId", "title", ">year", "genres", ">predicted");
        int rank = 1;
        for (Recommender.Scored s : best) {
            table.add(rank++, s.rawId(), MovieCells.title(m, s.rawId()), MovieCells.year(m, s.rawId()),
                    MovieCells.genres(m, s.rawId()), String.format(Locale.ROOT, "%.2f", s.score()));
        }
        table.print(System.out);
        return 0;
    }
}
