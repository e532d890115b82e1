package org.scatterlens.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scatterlens.infer.Recommender;
import org.scatterlens.infer.TitleIndex;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens similar}: the movies whose embeddings are nearest (cosine) to a movie's. */
@Command(name = "similar", mixinStandardHelpOptions = true,
        description = {"Movies nearest to a movie by cosine similarity of their embeddings.",
                "A title matches case-insensitively and without its year; add \"(1995)\" to pick a remake.",
                "When none or several match, the closest titles are listed instead (exit code 1)."})
public final class SimilarCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Mixin
    ModelOption model;

    static final class Query {
        @Option(names = "--movie", paramLabel = "TITLE", description = "Movie title, e.g. \"Toy Story\".")
        String title;

        @Option(names = "--movie-id", paramLabel = "ID", description = "Movie id, as in the data.")
        Integer id;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Query query;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many movies (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--min-ratings", paramLabel = "K", defaultValue = "0",
            description = "Hide movies with fewer training ratings: obscure movies' embeddings are noise (default ${DEFAULT-VALUE}).")
    int minRatings;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws Exception {
        RatingModel m = model.load();
        int row;
        if (query.id != null) {
            row = Recommender.movieRow(m, query.id);
        } else {
            TitleIndex titles = new TitleIndex(m);
            if (titles.size() == 0) {
                throw new IllegalArgumentException("the model keeps no movie titles: use --movie-id, or --movies FILE to add titles");
            }
            TitleIndex.Match match = titles.find(query.title);
            if (match instanceof TitleIndex.Found found) {
                row = found.movie().row();
            } else if (match instanceof TitleIndex.Ambiguous several) {
                System.out.printf("%d movies are titled \"%s\"; pick one with --movie-id, or add the year:%n%n",
                        several.movies().size(), query.title);
                candidates(m, several.movies());
                return 1;
            } else {
                System.out.printf("no movie is titled \"%s\"; the closest titles:%n%n", query.title);
                candidates(m, ((TitleIndex.NotFound) match).closest());
                return 1;
            }
        }
        int rawId = m.items().rawId(row);
        List<Recommender.Scored> near = Recommender.similar(m, row, top, minRatings);
        System.out.printf(Locale.ROOT, "Movies most like %s (id %d, %,d ratings)%s%n%n", MovieCells.name(m, rawId), rawId,
                m.itemRatingCounts()[row], minRatings > 0 ? String.format(Locale.ROOT, ", among those with >= %,d ratings", minRatings) : "");
        TextTable table = new TextTable(">#", ">movieId", "title", ">year", "genres", ">ratings", ">cosine");
        int rank = 1;
        for (Recommender.Scored s : near) {
            table.add(rank++, s.rawId(), MovieCells.title(m, s.rawId()), MovieCells.year(m, s.rawId()),
                    MovieCells.genres(m, s.rawId()), m.itemRatingCounts()[s.row()], String.format(Locale.ROOT, "%.3f", s.score()));
        }
        table.print(System.out);
        return 0;
    }

    private static void candidates(RatingModel m, List<TitleIndex.Candidate> movies) {
        TextTable table = new TextTable(">movieId", "title", ">year", "genres", ">ratings");
        for (TitleIndex.Candidate c : movies) {
            int rawId = c.movie().id();
            table.add(rawId, c.movie().title(), MovieCells.year(m, rawId), MovieCells.genres(m, rawId), c.ratings());
        }
        table.print(System.out);
    }
}
