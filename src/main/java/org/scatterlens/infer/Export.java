package org.scatterlens.infer;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scatterlens.data.Movies;
import org.scatterlens.model.AtomicFiles;
import org.scatterlens.model.ModelStore;
import org.scatterlens.model.Npy;
import org.scatterlens.model.RatingModel;

/**
 * A model's embeddings for other tools: TensorBoard's Embedding Projector
 * (vectors.tsv + metadata.tsv) or numpy (one .npy per table). Each file is
 * written atomically.
 */
public final class Export {
    public static final String VECTORS_TSV = "vectors.tsv";
    public static final String METADATA_TSV = "metadata.tsv";
    /** metadata.tsv's header: the Projector wants one when there is more than one column. */
    public static final String METADATA_HEADER = "title\tgenres\trating count";

    private Export() {}

    /**
     * vectors.tsv (one movie embedding per line, tab-separated) and metadata.tsv (header, then title with year,
     * '|'-joined genres and training rating count per line, same order) for the movies with at least
     * {@code minRatings} training ratings, in row order.
     *
     * @return the files written
     */
    public static List<Path> projector(RatingModel model, Path dir, int minRatings) throws IOException {
        if (minRatings < 0) {
            throw new IllegalArgumentException("--min-ratings " + minRatings + " must be >= 0");
        }
        int d = model.config().itemDim();
        float[] table = model.itemTable();
        int[] counts = model.itemRatingCounts();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < model.items().size(); i++) {
            if (counts[i] >= minRatings) {
                rows.add(i);
            }
        }
        Path vectors = dir.resolve(VECTORS_TSV);
        Path metadata = dir.resolve(METADATA_TSV);
        AtomicFiles.writeFile(vectors, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder line = new StringBuilder();
            for (int i : rows) {
                line.setLength(0);
                for (int k = 0; k < d; k++) {
                    line.append(k == 0 ? "" : "\t").append(table[i * d + k]);
                }
                w.write(line.append('\n').toString());
            }
            w.flush();
        });
        AtomicFiles.writeFile(metadata, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(METADATA_HEADER + "\n");
            for (int i : rows) {
                int rawId = model.items().rawId(i);
                Movies.Movie m = model.movies().get(rawId).orElse(null);
                String title = m == null ? "movie " + rawId : m.displayTitle();
                String genres = m == null ? "" : String.join("|", m.genres());
                w.write(ModelStore.tsvField(title) + "\t" + ModelStore.tsvField(genres) + "\t" + counts[i] + "\n");
            }
            w.flush();
        });
        return List.of(vectors, metadata);
    }

    /**
     * user_embedding.npy, movie_embedding.npy, user_ids.npy, movie_ids.npy, movie_counts.npy and the bias
     * tables when the model has them: the names and layouts of the model directory (docs/model-format.md).
     *
     * @return the files written
     */
    public static List<Path> npy(RatingModel model, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        int nUsers = model.users().size();
        int nItems = model.items().size();
        written.add(floats(dir.resolve(ModelStore.USER_EMBEDDING), model.userTable(), nUsers, model.config().userDim()));
        written.add(floats(dir.resolve(ModelStore.MOVIE_EMBEDDING), model.itemTable(), nItems, model.config().itemDim()));
        if (model.config().userBias()) {
            written.add(floats(dir.resolve(ModelStore.USER_BIAS), model.userBias(), nUsers));
        }
        if (model.config().itemBias()) {
            written.add(floats(dir.resolve(ModelStore.MOVIE_BIAS), model.itemBias(), nItems));
        }
        written.add(ints(dir.resolve(ModelStore.USER_IDS), model.users().rawIds(), nUsers));
        written.add(ints(dir.resolve(ModelStore.MOVIE_IDS), model.items().rawIds(), nItems));
        written.add(ints(dir.resolve(ModelStore.MOVIE_COUNTS), model.itemRatingCounts(), nItems));
        return written;
    }

    private static Path floats(Path file, float[] data, long... shape) throws IOException {
        AtomicFiles.writeFile(file, out -> Npy.writeFloats(out, data, shape));
        return file;
    }

    private static Path ints(Path file, int[] data, long... shape) throws IOException {
        AtomicFiles.writeFile(file, out -> Npy.writeInts(out, data, shape));
        return file;
    }
}
