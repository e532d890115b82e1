package org.scatterlens.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scatterlens.infer.Predictions;
import org.scatterlens.infer.Recommender;
import org.scatterlens.model.AtomicFiles;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens predict}: the model's rating for one (user, movie) pair or for a file of pairs. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"The predicted rating of a movie by a user (ids as in the data), clipped to the rating range.",
                "With --pairs, one CSV line userId,movieId,prediction per pair of the file (to --out or stdout)."})
public final class PredictCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Mixin
    ModelOption model;

    @Option(names = "--user", paramLabel = "U", description = "User id.")
    Integer user;

    @Option(names = "--movie", paramLabel = "M", description = "Movie id.")
    Integer movie;

    @Option(names = "--pairs", paramLabel = "FILE",
            description = "File of user,movie pairs (CSV, TSV, '::' or spaces; a header names userId and movieId "
                    + "columns, else the first two); a ratings file works too.")
    Path pairs;

    @Option(names = "--out", paramLabel = "FILE", description = "With --pairs: write the CSV here (atomically) instead of stdout.")
    Path out;

    @Option(names = "--skip-unknown", description = "With --pairs: leave out pairs whose user or movie the model does not know.")
    boolean skipUnknown;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws Exception {
        boolean single = user != null || movie != null;
        if (single == (pairs != null)) {
            throw new IllegalArgumentException("give --user and --movie, or --pairs FILE (one of the two)");
        }
        if (single && (user == null || movie == null)) {
            throw new IllegalArgumentException(user == null ? "--movie needs --user" : "--user needs --movie");
        }
        if (out != null && pairs == null) {
            throw new IllegalArgumentException("--out goes with --pairs");
        }
        RatingModel m = model.load();
        if (single) {
            Recommender.userRow(m, user);
            Recommender.movieRow(m, movie);
            float predicted = m.predict(user, movie);
            new TextTable(">user", ">movieId", "title", ">year", "genres", ">predicted")
                    .add(user, movie, MovieCells.title(m, movie), MovieCells.year(m, movie), MovieCells.genres(m, movie),
                            String.format(Locale.ROOT, "%.2f", predicted))
                    .print(System.out);
            return 0;
        }
        Predictions.Summary summary;
        if (out == null) {
            Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            summary = Predictions.predictFile(m, pairs, w, skipUnknown);
            w.flush();
        } else {
            Predictions.Summary[] result = new Predictions.Summary[1];
            AtomicFiles.writeFile(out, stream -> {
                Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                result[0] = Predictions.predictFile(m, pairs, w, skipUnknown);
                w.flush();
            });
            summary = result[0];
        }
        PrintStream err = System.err;
        err.printf(Locale.ROOT, "predicted %,d pairs%s%n", summary.predicted(), out == null ? "" : " into " + out);
        if (summary.skipped() > 0) {
            err.printf(Locale.ROOT, "skipped %,d pairs with ids the model does not know (%s%s)%n", summary.skipped(),
                    String.join("; ", summary.firstSkipped()), summary.skipped() > summary.firstSkipped().size() ? "; ..." : "");
        }
        return 0;
    }
}
