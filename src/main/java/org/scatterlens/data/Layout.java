package org.scatterlens.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the lines of one ratings file are laid out: separator, which column is
 * which, the time notation, where the data starts. Detected from the first
 * lines of the file (or built for a forced {@link RatingFormat}).
 *
 * @param roles         per column: USER, MOVIE, RATING, TIME or IGNORED
 * @param names         per column, as the header (or the format's documentation) names it, for messages
 * @param dataStart     byte offset of the first data line (after a BOM and the header)
 * @param firstDataLine 1-based line number of the first data line
 * @param bytesPerLine  average line length in the file's head, to size buffers
 */
record Layout(RatingFormat format, byte separator, boolean doubleSeparator, int[] roles, String[] names,
              boolean datetime, long dataStart, long firstDataLine, int bytesPerLine) {
    static final int IGNORED = 0;
    static final int USER = 1;
    static final int MOVIE = 2;
    static final int RATING = 3;
    static final int TIME = 4;

    private static final String[] ROLE_NAMES = {"", "user", "movie", "rating", "timestamp"};

    String name(int column) {
        return names[column];
    }

    /** The columns as the file writes them, e.g. "userId,movieId,rating,timestamp". */
    String columns() {
        return String.join(doubleSeparator ? "::" : separator == '\t' ? "<tab>" : String.valueOf((char) separator), names);
    }

    /**
     * The layout of a file whose first bytes are {@code head} ({@code size} in all).
     *
     * @param forced the format to read, or null to detect it
     * @throws BadDataException when the file is empty, binary, compressed, has no header where one is
     *                          needed, or starts with something that is no known layout
     */
    static Layout detect(Path file, byte[] head, long size, RatingFormat forced) {
        if (size == 0) {
            throw new BadDataException(file, "is empty");
        }
        refuseBinary(file, head);
        int start = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF ? 3 : 0;
        int end1 = indexOf(head, (byte) '\n', start);
        if (end1 < 0) {
            if (head.length < size) {
                throw new BadDataException(file, 1, "line is longer than " + head.length / 1024
                        + " KiB: not a ratings file?", RatingsReader.shown(head, start, head.length));
            }
            end1 = head.length;
        }
        String first = text(head, start, end1);
        String second = null;
        if (end1 + 1 < head.length) {
            int end2 = indexOf(head, (byte) '\n', end1 + 1);
            if (end2 >= 0 || head.length == size) {
                second = text(head, end1 + 1, end2 >= 0 ? end2 : head.length);
            }
        }
        int newlines = 0;
        for (byte b : head) {
            newlines += b == '\n' ? 1 : 0;
        }
        int bytesPerLine = Math.max(1, head.length / Math.max(1, newlines));
        RatingFormat format = forced != null ? forced : guess(file, first, second);
        return switch (format) {
            case CSV, KAGGLE_CSV, KAGGLE_LEARN -> withHeader(file, format, first, second,
                    Math.min(size, end1 + 1L), bytesPerLine);
            case DAT -> new Layout(format, (byte) ':', true, new int[] {USER, MOVIE, RATING, TIME},
                    new String[] {"UserID", "MovieID", "Rating", "Timestamp"}, false, start, 1, bytesPerLine);
            case U_DATA -> new Layout(format, (byte) '\t', false, new int[] {USER, MOVIE, RATING, TIME},
                    new String[] {"user id", "item id", "rating", "timestamp"}, false, start, 1, bytesPerLine);
        };
    }

    private static RatingFormat guess(Path file, String first, String second) {
        String[] names = splitCsv(first);
        int[] roles = roles(names);
        if (known(roles) > 0) {
            int time = indexOf(roles, TIME);
            boolean standard = names.length == 4 && known(roles) == 4;
            if (standard) {
                String[] values = second == null ? new String[0] : splitCsv(second);
                boolean dated = time < values.length && values[time].matches("\\d{4}-\\d\\d-\\d\\d.*");
                return dated ? RatingFormat.KAGGLE_CSV : RatingFormat.CSV;
            }
            return RatingFormat.KAGGLE_LEARN;
        }
        if (first.contains("::")) {
            return RatingFormat.DAT;
        }
        if (first.indexOf('\t') >= 0) {
            return RatingFormat.U_DATA;
        }
        if (first.indexOf(',') >= 0 && first.matches("\\s*\\d.*")) {
            throw new BadDataException(file, 1, "no header line: a ratings CSV starts with one such as "
                    + "userId,movieId,rating,timestamp", first);
        }
        throw new BadDataException(file, 1, "not a ratings file: the first line is neither a header naming userId, "
                + "movieId and rating columns, nor a '::' (ratings.dat) or tab (u.data) separated rating", first);
    }

    private static Layout withHeader(Path file, RatingFormat format, String first, String second, long dataStart,
                                     int bytesPerLine) {
        String[] names = splitCsv(first);
        int[] roles = roles(names);
        if (known(roles) == 0 && first.matches("\\s*\\d.*")) {
            throw new BadDataException(file, 1, "no header line: the " + format.id()
                    + " format starts with one such as userId,movieId,rating,timestamp", first);
        }
        for (int role = USER; role <= TIME; role++) {
            int at = indexOf(roles, role);
            if (at >= 0 && indexOf(roles, role, at + 1) >= 0) {
                throw new BadDataException(file, 1, "the header names two " + ROLE_NAMES[role] + " columns", first);
            }
            if (at < 0 && role != TIME) {
                throw new BadDataException(file, 1, "the header has no " + ROLE_NAMES[role] + " column (expected a name such as "
                        + List.of("userId", "movieId", "rating").get(role - 1) + ")", first);
            }
        }
        int time = indexOf(roles, TIME);
        if (format != RatingFormat.KAGGLE_LEARN && (names.length != 4 || time < 0)) {
            throw new BadDataException(file, 1, "the " + format.id() + " format has exactly the columns userId, movieId, "
                    + "rating, timestamp (--format kaggle-learn finds columns by name and ignores others)", first);
        }
        boolean datetime = format == RatingFormat.KAGGLE_CSV;
        if (format == RatingFormat.KAGGLE_LEARN && time >= 0 && second != null) {
            String[] values = splitCsv(second);
            datetime = time < values.length && values[time].matches("\\d{4}-.*");
        }
        for (int c = 0; c < names.length; c++) {
            if (names[c].isEmpty()) {
                names[c] = "column " + (c + 1);
            }
        }
        return new Layout(format, (byte) ',', false, roles, names, datetime, dataStart, 2, bytesPerLine);
    }

    /** Header names of the columns we read, lower case without '_' (others are ignored). */
    private static int role(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "userid", "user" -> USER;
            case "movieid", "itemid", "movie", "item" -> MOVIE;
            case "rating" -> RATING;
            case "timestamp", "unixtimestamp" -> TIME;
            default -> IGNORED;
        };
    }

    private static int[] roles(String[] names) {
        int[] roles = new int[names.length];
        for (int c = 0; c < names.length; c++) {
            roles[c] = role(names[c]);
        }
        return roles;
    }

    private static int known(int[] roles) {
        int n = 0;
        for (int r : roles) {
            n += r != IGNORED ? 1 : 0;
        }
        return n;
    }

    private static int indexOf(int[] roles, int role) {
        return indexOf(roles, role, 0);
    }

    private static int indexOf(int[] roles, int role, int from) {
        for (int c = from; c < roles.length; c++) {
            if (roles[c] == role) {
                return c;
            }
        }
        return -1;
    }

    /** Comma-separated fields with CSV quotes removed and surrounding spaces trimmed. */
    static String[] splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        fields.add(field.toString().trim());
        return fields.toArray(String[]::new);
    }

    private static void refuseBinary(Path file, byte[] head) {
        if (startsWith(head, 0x1F, 0x8B)) {
            throw new BadDataException(file, "is gzip-compressed, not text: decompress it first (gunzip)");
        }
        if (startsWith(head, 'P', 'K', 3, 4)) {
            throw new BadDataException(file, "is a zip archive, not text: extract it, or let --data ml-20m "
                    + "(and the other GroupLens names) download and extract the official one");
        }
        if (startsWith(head, 'B', 'Z', 'h')) {
            throw new BadDataException(file, "is bzip2-compressed, not text: decompress it first (bunzip2)");
        }
        if (startsWith(head, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            throw new BadDataException(file, "is xz-compressed, not text: decompress it first (unxz)");
        }
        if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
            throw new BadDataException(file, "is UTF-16 text: save it as UTF-8");
        }
        int controls = 0;
        int looked = Math.min(head.length, 8192);
        for (int i = 0; i < looked; i++) {
            int b = head[i] & 0xff;
            if (b == 0) {
                throw new BadDataException(file, "is binary, not text (a zero byte at offset " + i + ")");
            }
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                controls++;
            }
        }
        if (controls > looked / 100) {
            throw new BadDataException(file, "is binary, not text (" + controls + " control bytes in its first "
                    + looked + ")");
        }
    }

    private static boolean startsWith(byte[] head, int... bytes) {
        if (head.length < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((head[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] b, int from, int to) {
        int end = to > from && b[to - 1] == '\r' ? to - 1 : to;
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }
}
