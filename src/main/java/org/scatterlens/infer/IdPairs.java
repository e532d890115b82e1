package org.scatterlens.infer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads (user id, movie id) pairs from a text file: a file of pairs to
 * predict, or a MovieLens ratings file (ratings.csv, rating.csv, ratings.dat,
 * u.data) to learn which movies a user rated. Fields are separated by "::",
 * a tab, a comma or spaces, whichever the first line uses. When the first
 * line is a header, the columns are found by name (userId / user_id / user,
 * movieId / movie_id / movie / itemId / item); otherwise they are the first
 * two. Other columns are ignored. Blank lines are skipped.
 */
public final class IdPairs {
    /** Receives one pair with its 1-based line number. */
    @FunctionalInterface
    public interface Consumer {
        void accept(long line, int user, int movie) throws IOException;
    }

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private IdPairs() {}

    /**
     * Calls {@code each} for every pair in {@code file}, in file order.
     *
     * @throws IllegalArgumentException naming the file, line and text of a line without two integer ids
     */
    public static void forEach(Path file, Consumer each) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.ISO_8859_1), 1 << 16)) {
            String line = in.readLine();
            long lineNo = 1;
            while (line != null && line.isBlank()) {
                line = in.readLine();
                lineNo++;
            }
            if (line == null) {
                return;
            }
            if (line.startsWith("\u00EF\u00BB\u00BF")) {     // a UTF-8 byte order mark, read as Latin-1
                line = line.substring(3);
            }
            Pattern sep = separatorOf(line);
            String[] first = sep.split(line.strip(), -1);
            int userCol = 0;
            int movieCol = 1;
            if (first.length < 2) {
                throw badLine(file, lineNo, line, "expected a user id and a movie id");
            }
            if (!isInteger(first[0].strip())) {
                userCol = column(first, "userid", "user");
                movieCol = column(first, "movieid", "movie", "itemid", "item");
                if (userCol < 0 || movieCol < 0) {
                    throw badLine(file, lineNo, line, "a header without userId and movieId columns");
                }
                line = in.readLine();
                lineNo++;
            }
            int need = Math.max(userCol, movieCol);
            for (; line != null; line = in.readLine(), lineNo++) {
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                String[] f = sep.split(s, need + 2);
                if (f.length <= need) {
                    throw badLine(file, lineNo, line, "expected at least " + (need + 1) + " fields");
                }
                int user;
                int movie;
                try {
                    user = Integer.parseInt(f[userCol].strip());
                    movie = Integer.parseInt(f[movieCol].strip());
                } catch (NumberFormatException e) {
                    throw badLine(file, lineNo, line, "user and movie ids must be integers");
                }
                each.accept(lineNo, user, movie);
            }
        }
    }

    private static Pattern separatorOf(String line) {
        if (line.contains("::")) {
            return Pattern.compile("::");
        }
        if (line.indexOf('\t') >= 0) {
            return Pattern.compile("\t");
        }
        if (line.indexOf(',') >= 0) {
            return Pattern.compile(",");
        }
        return SPACES;
    }

    private static int column(String[] header, String... names) {
        for (String name : names) {
            for (int i = 0; i < header.length; i++) {
                String h = header[i].strip().replace("\"", "").replace("_", "").toLowerCase(Locale.ROOT);
                if (h.equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isInteger(String s) {
        try {
            Integer.parseInt(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static IllegalArgumentException badLine(Path file, long lineNo, String line, String why) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return new IllegalArgumentException(file + " line " + lineNo + ": " + why + ": '" + shown + "'");
    }
}
