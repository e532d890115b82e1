package org.scatterlens.infer;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import org.scatterlens.model.RatingModel;

/** Predicted ratings for many pairs, and the rated movies of one user, read from files. */
public final class Predictions {
    /** CSV header of {@link #predictFile}'s output. */
    public static final String CSV_HEADER = "userId,movieId,prediction";

    /**
     * What a file of pairs gave.
     *
     * @param predicted     pairs predicted and written
     * @param skipped       pairs left out because the model does not know their user or movie
     * @param firstSkipped  up to five of those, as "line N: unknown user U"
     */
    public record Summary(long predicted, long skipped, List<String> firstSkipped) {}

    private Predictions() {}

    /**
     * Writes one CSV line {@code userId,movieId,prediction} per pair of {@code pairs} (see {@link IdPairs}),
     * the prediction clipped to the model's rating range, 4 decimals, in the file's order.
     *
     * @param skipUnknown leave out pairs whose user or movie the model does not know (else: fail on the first)
     * @throws IllegalArgumentException naming the file and line of an unknown id (unless skipped) or a malformed line
     */
    public static Summary predictFile(RatingModel model, Path pairs, Writer out, boolean skipUnknown) throws IOException {
        out.write(CSV_HEADER + "\n");
        long[] counts = new long[2];
        List<String> firstSkipped = new ArrayList<>();
        IdPairs.forEach(pairs, (line, user, movie) -> {
            int u = model.users().row(user);
            int i = model.items().row(movie);
            if (u < 0 || i < 0) {
                String what = u < 0 ? "unknown user " + user : "unknown movie " + movie;
                if (!skipUnknown) {
                    throw new IllegalArgumentException(pairs + " line " + line + ": " + what
                            + " (--skip-unknown leaves such pairs out)");
                }
                counts[1]++;
                if (firstSkipped.size() < 5) {
                    firstSkipped.add("line " + line + ": " + what);
                }
                return;
            }
            out.write(user + "," + movie + "," + String.format(Locale.ROOT, "%.4f", model.clip(model.predictRows(u, i))) + "\n");
            counts[0]++;
        });
        return new Summary(counts[0], counts[1], firstSkipped);
    }

    /**
     * The model rows of the movies {@code rawUser} rated in a ratings file; movies the model does not know are
     * ignored (they cannot be recommended anyway).
     */
    public static BitSet ratedRows(RatingModel model, Path ratings, int rawUser) throws IOException {
        BitSet rows = new BitSet(model.items().size());
        IdPairs.forEach(ratings, (line, user, movie) -> {
            if (user == rawUser) {
                int i = model.items().row(movie);
                if (i >= 0) {
                    rows.set(i);
                }
            }
        });
        return rows;
    }

    /** The model rows of the movies user row {@code userRow} rated, from the lists the model keeps; empty without them. */
    public static BitSet ratedRows(RatingModel model, int userRow) {
        BitSet rows = new BitSet(model.items().size());
        model.ratedMovies().ifPresent(r -> {
            for (int i : r.moviesOf(userRow)) {
                rows.set(i);
            }
        });
        return rows;
    }
}
