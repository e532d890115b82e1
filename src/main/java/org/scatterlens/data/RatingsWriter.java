package org.scatterlens.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes ratings and movies in GroupLens's ml-20m CSV layout (ratings.csv,
 * movies.csv), so that other tools can read exactly the data ScatterLens saw.
 * Blocks of lines are formatted in parallel and written in order, atomically.
 */
public final class RatingsWriter {
    private static final int RATINGS_PER_BLOCK = 1 << 20;
    private static final byte[] RATINGS_HEADER = "userId,movieId,rating,timestamp\n".getBytes(StandardCharsets.US_ASCII);

    private RatingsWriter() {}

    /** ratings.csv: "userId,movieId,rating,timestamp", ratings as "3.5" and "4.0", Unix seconds. */
    public static void writeRatingsCsv(Ratings r, Path out) throws IOException {
        int[] userIds = r.users().rawIds();
        int[] itemIds = r.items().rawIds();
        int n = r.size();
        int blocks = Parallel.blocks(n, RATINGS_PER_BLOCK);
        int batch = Math.max(1, Parallel.threads());
        AtomicFile.write(out, channel -> {
            AtomicFile.writeFully(channel, ByteBuffer.wrap(RATINGS_HEADER));
            // A few blocks at a time: bounded memory, the order of the file kept.
            for (int first = 0; first < blocks; first += batch) {
                int count = Math.min(batch, blocks - first);
                byte[][] text = new byte[count][];
                int[] length = new int[count];
                int base = first;
                Parallel.forEachBlock(count, k -> {
                    int from = (base + k) * RATINGS_PER_BLOCK;
                    int to = Math.min(n, from + RATINGS_PER_BLOCK);
                    Line line = new Line((to - from) * 40 + 64);
                    for (int i = from; i < to; i++) {
                        line.number(userIds[r.userRows()[i]]).put(',').number(itemIds[r.itemRows()[i]]).put(',')
                                .rating(r.values()[i]).put(',').number(r.times()[i]).put('\n');
                    }
                    text[k] = line.bytes;
                    length[k] = line.length;
                });
                for (int k = 0; k < count; k++) {
                    AtomicFile.writeFully(channel, ByteBuffer.wrap(text[k], 0, length[k]));
                }
            }
        });
    }

    /** movies.csv: "movieId,title,genres", titles as "Title (Year)" quoted where needed, genres '|'-joined. */
    public static void writeMoviesCsv(Movies movies, Path out) throws IOException {
        StringBuilder csv = new StringBuilder("movieId,title,genres\n");
        for (Movies.Movie m : movies.all()) {
            String title = m.displayTitle();
            if (title.indexOf(',') >= 0 || title.indexOf('"') >= 0) {
                title = '"' + title.replace("\"", "\"\"") + '"';
            }
            String genres = m.genres().isEmpty() ? "(no genres listed)" : String.join("|", m.genres());
            csv.append(m.id()).append(',').append(title).append(',').append(genres).append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(out, channel -> AtomicFile.writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /** A growable ASCII line buffer that formats numbers without Strings. */
    private static final class Line {
        byte[] bytes;
        int length;

        Line(int capacity) {
            bytes = new byte[capacity];
        }

        Line put(char c) {
            room(1);
            bytes[length++] = (byte) c;
            return this;
        }

        Line number(long v) {
            room(21);
            if (v < 0) {
                bytes[length++] = '-';
                v = -v;
            }
            int begin = length;
            do {
                bytes[length++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v > 0);
            for (int i = begin, j = length - 1; i < j; i++, j--) {
                byte t = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = t;
            }
            return this;
        }

        /** "3.5", "4.0" for tenths (every MovieLens rating); Java's shortest form otherwise. */
        Line rating(float v) {
            long tenths = Math.round(v * 10.0);
            if (tenths >= 0 && tenths / 10.0f == v) {
                return number(tenths / 10).put('.').put((char) ('0' + tenths % 10));
            }
            for (char c : Float.toString(v).toCharArray()) {
                put(c);
            }
            return this;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
