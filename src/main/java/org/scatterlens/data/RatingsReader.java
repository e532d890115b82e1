package org.scatterlens.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Reads a ratings file in any {@link RatingFormat} into columnar {@link Ratings}.
 *
 * <p>The file is cut into 16 MiB chunks that threads parse in parallel from
 * plain byte arrays (no String per line); each chunk owns the lines that start
 * in it. Raw ids are then mapped to dense rows through {@link IdIndex} (a direct
 * table for ids below 2^24) and the chunks are copied into the final columns.
 *
 * <p>Bad input fails loudly: the file, the line number and the line's text, or
 * with {@code skipBadLines} a count and the first few. Duplicate (user, movie)
 * pairs keep the latest rating (by timestamp, then by position in the file).
 */
public final class RatingsReader {
    static final int CHUNK_BYTES = 16 << 20;
    /** A line may run this far past its chunk's end; longer lines are not ratings. */
    static final int MAX_LINE_BYTES = 1 << 20;
    static final int HEAD_BYTES = 64 << 10;
    private static final int SHOWN_BAD_LINES = 5;
    private static final int SHOWN_TEXT_BYTES = 200;

    private RatingsReader() {}

    /**
     * Parses {@code file}. Side-effect free: no cache is read or written.
     *
     * @param format       the layout, or null to detect it from the first lines
     * @param skipBadLines skip malformed lines (counted and reported) instead of failing on the first
     * @throws BadDataException         naming the file, line and text of malformed input
     * @throws IllegalArgumentException when the file does not exist or is a directory
     * @throws IOException              when reading fails
     */
    public static ParsedRatings read(Path file, RatingFormat format, boolean skipBadLines) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a ratings file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            byte[] head = readFully(channel, 0, (int) Math.min(size, HEAD_BYTES));
            Layout layout = Layout.detect(file, head, size, format);
            return parse(file, channel, size, layout, skipBadLines);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        }
    }

    private static ParsedRatings parse(Path file, FileChannel channel, long size, Layout layout, boolean skipBadLines)
            throws IOException {
        long dataBytes = size - layout.dataStart();
        int chunkCount = (int) Math.max(1, (dataBytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
        Chunk[] chunks = new Chunk[chunkCount];
        for (int c = 0; c < chunkCount; c++) {
            long start = layout.dataStart() + (long) c * CHUNK_BYTES;
            chunks[c] = new Chunk(layout, start, Math.min(size, start + CHUNK_BYTES), size, skipBadLines,
                    dataBytes / Math.max(1, layout.bytesPerLine()) / chunkCount);
        }
        AtomicInteger next = new AtomicInteger();
        int bufferBytes = (int) Math.min((long) CHUNK_BYTES + MAX_LINE_BYTES + 1, dataBytes + 1);
        try {
            Parallel.forEachBlock(Math.min(Parallel.threads(), chunkCount), worker -> {
                byte[] buffer = new byte[bufferBytes];
                for (int c = next.getAndIncrement(); c < chunkCount; c = next.getAndIncrement()) {
                    try {
                        chunks[c].parse(channel, buffer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }

        long lineBefore = layout.firstDataLine() - 1;
        long skipped = 0;
        long blank = 0;
        long lines = 0;
        List<String> examples = new ArrayList<>();
        for (Chunk chunk : chunks) {
            for (BadLine bad : chunk.badLines) {
                if (!skipBadLines) {
                    String hint = bad.unterminatedLast ? " (the file ends inside this line: truncated?)"
                            : bad.fatal ? "" : " (--skip-bad-lines skips such lines)";
                    throw new BadDataException(file, lineBefore + bad.localLine, bad.reason + hint, bad.text);
                }
                if (bad.fatal) {
                    throw new BadDataException(file, lineBefore + bad.localLine, bad.reason, bad.text);
                }
                if (examples.size() < SHOWN_BAD_LINES) {
                    examples.add("line " + (lineBefore + bad.localLine) + ": " + bad.reason + ": \"" + bad.text + "\"");
                }
            }
            skipped += chunk.badCount;
            blank += chunk.blankLines;
            lines += chunk.lines;
            lineBefore += chunk.lines;
        }
        long total = 0;
        for (Chunk chunk : chunks) {
            total += chunk.count;
        }
        if (total == 0) {
            throw new BadDataException(file, lines == blank
                    ? (layout.format().hasHeader() ? "has a header but no ratings" : "has no ratings")
                    : "has no good ratings: all " + skipped + " lines are bad; first: " + String.join("; ", examples));
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new BadDataException(file, "has " + total + " ratings, more than one Java array holds");
        }
        Ratings ratings = assemble(chunks, (int) total);
        Duplicates.Result dedup = Duplicates.keepLatest(ratings);
        return new ParsedRatings(dedup.ratings(), layout.format(), lines, skipped, examples, blank, dedup.removed());
    }

    /** Maps raw ids to rows and copies the chunks, in order, into one set of columns. */
    private static Ratings assemble(Chunk[] chunks, int total) {
        int maxUser = 0;
        int maxItem = 0;
        for (Chunk c : chunks) {
            maxUser = Math.max(maxUser, c.maxUser);
            maxItem = Math.max(maxItem, c.maxItem);
        }
        IdIndex users = distinct(chunks, true, maxUser, total);
        IdIndex items = distinct(chunks, false, maxItem, total);
        long[] offset = new long[chunks.length + 1];
        for (int c = 0; c < chunks.length; c++) {
            offset[c + 1] = offset[c] + chunks[c].count;
        }
        int[] userRows = new int[total];
        int[] itemRows = new int[total];
        float[] values = new float[total];
        int[] times = new int[total];
        Parallel.forEachBlock(chunks.length, c -> {
            Chunk chunk = chunks[c];
            int at = (int) offset[c];
            for (int j = 0; j < chunk.count; j++) {
                userRows[at + j] = users.row(chunk.users[j]);
                itemRows[at + j] = items.row(chunk.items[j]);
            }
            System.arraycopy(chunk.values, 0, values, at, chunk.count);
            System.arraycopy(chunk.times, 0, times, at, chunk.count);
            chunk.release();
        });
        return new Ratings(userRows, itemRows, values, times, users, items);
    }

    private static IdIndex distinct(Chunk[] chunks, boolean userSide, int max, int total) {
        if (max < (1 << 24)) {
            boolean[] present = new boolean[max + 1];
            // Every thread writes only 'true': the races are harmless, and the join publishes the writes.
            Parallel.forEachBlock(chunks.length, c -> {
                int[] raw = userSide ? chunks[c].users : chunks[c].items;
                for (int j = 0; j < chunks[c].count; j++) {
                    present[raw[j]] = true;
                }
            });
            int n = 0;
            for (boolean p : present) {
                n += p ? 1 : 0;
            }
            int[] ids = new int[n];
            int k = 0;
            for (int id = 0; id <= max; id++) {
                if (present[id]) {
                    ids[k++] = id;
                }
            }
            return IdIndex.ofSorted(ids);
        }
        int[] all = new int[total];
        int at = 0;
        for (Chunk chunk : chunks) {
            System.arraycopy(userSide ? chunk.users : chunk.items, 0, all, at, chunk.count);
            at += chunk.count;
        }
        return IdIndex.ofAny(all);
    }

    static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        readFully(channel, position, bytes, length);
        return bytes;
    }

    private static void readFully(FileChannel channel, long position, byte[] into, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("file shrank while reading: expected " + length + " bytes at offset " + position);
            }
        }
    }

    /** A line as shown in messages: at most SHOWN_TEXT_BYTES, UTF-8, control bytes escaped. */
    static String shown(byte[] b, int from, int to) {
        int end = Math.min(to, from + SHOWN_TEXT_BYTES);
        String s = new String(b, from, end - from, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                out.append(String.format("\\x%02x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        if (end < to) {
            out.append("...");
        }
        return out.toString();
    }

    /** A malformed line inside a chunk. */
    private record BadLine(long localLine, String reason, String text, boolean unterminatedLast, boolean fatal) {}

    /** Thrown inside the line parser; no stack trace, it never leaves this class. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The lines that start in [start, end) of the file, parsed into raw-id columns. */
    private static final class Chunk {
        private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
        private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
        private static final Pattern NOT_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

        private final Layout layout;
        private final long start;
        private final long end;
        private final long fileSize;
        private final boolean skipBadLines;
        private final int[] roles;
        private final byte separator;
        private final boolean doubleSeparator;

        int[] users;
        int[] items;
        float[] values;
        int[] times;
        int count;
        int maxUser;
        int maxItem;
        long lines;
        long blankLines;
        long badCount;
        final List<BadLine> badLines = new ArrayList<>();

        // Parser state for the line at hand.
        private byte[] b;
        private int pos;
        private int limit;
        private boolean atFileEnd;

        Chunk(Layout layout, long start, long end, long fileSize, boolean skipBadLines, long expectedLines) {
            this.layout = layout;
            this.start = start;
            this.end = end;
            this.fileSize = fileSize;
            this.skipBadLines = skipBadLines;
            this.roles = layout.roles();
            this.separator = layout.separator();
            this.doubleSeparator = layout.doubleSeparator();
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, expectedLines + expectedLines / 8 + 64);
            users = new int[capacity];
            items = new int[capacity];
            values = new float[capacity];
            times = new int[capacity];
        }

        void release() {
            users = null;
            items = null;
            values = null;
            times = null;
        }

        void parse(FileChannel channel, byte[] buffer) throws IOException {
            if (start >= end) {
                return;
            }
            // One byte before the start tells whether a line begins exactly at the start.
            long from = start == layout.dataStart() ? start : start - 1;
            long to = Math.min(fileSize, end + MAX_LINE_BYTES);
            int length = (int) (to - from);
            readFully(channel, from, buffer, length);
            b = buffer;
            limit = length;
            atFileEnd = to == fileSize;
            int owned = (int) (end - from);
            int p = 0;
            if (from < start) {
                while (p < length && buffer[p] != '\n') {
                    p++;
                }
                p++;
            }
            while (p < owned) {
                lines++;
                if (b[p] == '\n' || (b[p] == '\r' && p + 1 < limit && b[p + 1] == '\n')) {
                    blankLines++;
                    p += b[p] == '\n' ? 1 : 2;
                    continue;
                }
                int lineStart = p;
                try {
                    p = record(p);
                } catch (Bad bad) {
                    int lineEnd = lineEnd(lineStart);
                    boolean fatal = lineEnd == limit && !atFileEnd;
                    String reason = fatal ? "line is longer than " + (MAX_LINE_BYTES >> 20) + " MiB: not a ratings file?"
                            : bad.getMessage();
                    boolean unterminated = lineEnd == limit && atFileEnd;
                    badCount++;
                    if (badLines.size() < SHOWN_BAD_LINES || fatal) {
                        badLines.add(new BadLine(lines, reason, shown(b, lineStart, lineEnd), unterminated, fatal));
                    }
                    if (!skipBadLines || fatal) {
                        return;
                    }
                    p = lineEnd < limit ? lineEnd + 1 : limit;
                }
            }
        }

        /** Index of the '\n' ending the line that starts at p (or limit), with a '\r' before it excluded. */
        private int lineEnd(int p) {
            int e = p;
            while (e < limit && b[e] != '\n') {
                e++;
            }
            return e > p && b[e - 1] == '\r' ? e - 1 : e;
        }

        /** Parses one line starting at p; returns the start of the next. */
        private int record(int p) throws Bad {
            pos = p;
            int user = 0;
            int item = 0;
            float rating = 0;
            int time = 0;
            int last = roles.length - 1;
            for (int c = 0; c <= last; c++) {
                switch (roles[c]) {
                    case Layout.USER -> user = id(c);
                    case Layout.MOVIE -> item = id(c);
                    case Layout.RATING -> rating = rating(c);
                    case Layout.TIME -> time = layout.datetime() ? datetime(c) : seconds(c);
                    default -> skipField(c);
                }
                if (c < last) {
                    separator(p);
                } else {
                    expectLineEnd(p);
                }
            }
            if (count == users.length) {
                grow();
            }
            users[count] = user;
            items[count] = item;
            values[count] = rating;
            times[count] = time;
            count++;
            if (user > maxUser) {
                maxUser = user;
            }
            if (item > maxItem) {
                maxItem = item;
            }
            return pos;
        }

        private void grow() {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, users.length + (users.length >> 1) + 16L);
            users = Arrays.copyOf(users, capacity);
            items = Arrays.copyOf(items, capacity);
            values = Arrays.copyOf(values, capacity);
            times = Arrays.copyOf(times, capacity);
        }

        private boolean terminator(int at) {
            if (at >= limit) {
                return true;
            }
            byte x = b[at];
            return x == separator || x == '\n' || x == '\r';
        }

        private void separator(int lineStart) throws Bad {
            if (pos < limit && b[pos] == separator && (!doubleSeparator || (pos + 1 < limit && b[pos + 1] == separator))) {
                pos += doubleSeparator ? 2 : 1;
                return;
            }
            if (pos < limit && b[pos] == separator) {
                throw new Bad("single '" + (char) separator + "' where '" + (char) separator + (char) separator
                        + "' separates fields");
            }
            throw new Bad(fieldCount(lineStart) + " fields, expected " + roles.length + " (" + layout.columns() + ")");
        }

        private void expectLineEnd(int lineStart) throws Bad {
            if (pos >= limit) {
                if (!atFileEnd) {
                    throw new Bad("line runs past the buffer");
                }
                return;
            }
            if (b[pos] == '\n') {
                pos++;
            } else if (b[pos] == '\r' && (pos + 1 == limit || b[pos + 1] == '\n')) {
                pos += pos + 1 == limit ? 1 : 2;
            } else if (b[pos] == '\r') {
                throw new Bad("carriage return inside the line");
            } else {
                throw new Bad(fieldCount(lineStart) + " fields, expected " + roles.length + " (" + layout.columns() + ")");
            }
        }

        /** Fields on the line that starts at p, counted as the separator splits them (quotes respected). */
        private int fieldCount(int p) {
            int e = lineEnd(p);
            int fields = 1;
            boolean quoted = false;
            for (int i = p; i < e; i++) {
                if (b[i] == '"') {
                    quoted = !quoted;
                } else if (!quoted && b[i] == separator) {
                    if (doubleSeparator) {
                        if (i + 1 < e && b[i + 1] == separator) {
                            fields++;
                            i++;
                        }
                    } else {
                        fields++;
                    }
                }
            }
            return fields;
        }

        /** The text of the field starting at 'from', as shown in a message. */
        private String field(int from) {
            int e = from;
            while (!terminator(e)) {
                e++;
            }
            return shown(b, from, e);
        }

        private int id(int column) throws Bad {
            int from = pos;
            long v = 0;
            while (pos < limit) {
                int d = b[pos] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
                if (v > Integer.MAX_VALUE) {
                    while (pos < limit && b[pos] >= '0' && b[pos] <= '9') {
                        pos++;
                    }
                    if (terminator(pos)) {
                        throw new Bad(layout.name(column) + " " + field(from) + " is beyond the largest id, " + Integer.MAX_VALUE);
                    }
                    break;
                }
                pos++;
            }
            if (pos > from && terminator(pos)) {
                return (int) v;
            }
            String text = field(from);
            if (text.isEmpty()) {
                throw new Bad(layout.name(column) + " is empty");
            }
            if (text.startsWith("-") && text.length() > 1 && text.substring(1).chars().allMatch(Character::isDigit)) {
                throw new Bad(layout.name(column) + " " + text + " is negative");
            }
            throw new Bad(layout.name(column) + " \"" + text + "\" is not a whole number");
        }

        private float rating(int column) throws Bad {
            int from = pos;
            long whole = 0;
            int wholeDigits = 0;
            while (pos < limit && b[pos] >= '0' && b[pos] <= '9' && wholeDigits < 9) {
                whole = whole * 10 + (b[pos++] - '0');
                wholeDigits++;
            }
            double v = whole;
            int fractionDigits = 0;
            if (pos < limit && b[pos] == '.') {
                pos++;
                long fraction = 0;
                while (pos < limit && b[pos] >= '0' && b[pos] <= '9' && fractionDigits < 9) {
                    fraction = fraction * 10 + (b[pos++] - '0');
                    fractionDigits++;
                }
                v += fraction / POW10[fractionDigits];
            }
            if (wholeDigits + fractionDigits == 0 || !terminator(pos)) {
                // Not plain decimal digits: exponents, signs, NaN, Infinity, junk. Rare, so Strings are fine.
                String text = field(from);
                while (!terminator(pos)) {
                    pos++;
                }
                if (text.isEmpty()) {
                    throw new Bad(layout.name(column) + " is empty");
                }
                if (NOT_FINITE.matcher(text).matches()) {
                    throw new Bad(layout.name(column) + " \"" + text + "\" is not a finite number");
                }
                if (!DECIMAL.matcher(text).matches()) {
                    throw new Bad(layout.name(column) + " \"" + text + "\" is not a number");
                }
                v = Double.parseDouble(text);
                if (!Double.isFinite(v)) {
                    throw new Bad(layout.name(column) + " \"" + text + "\" is not a finite number");
                }
            }
            if (!(v >= layout.format().minRating() && v <= layout.format().maxRating())) {
                throw new Bad(layout.name(column) + " " + field(from) + " is outside " + layout.format().minRating() + ".."
                        + layout.format().maxRating() + ", the range of the " + layout.format().id() + " format");
            }
            return (float) v;
        }

        private int seconds(int column) throws Bad {
            int from = pos;
            long v = 0;
            while (pos < limit && b[pos] >= '0' && b[pos] <= '9' && v <= Integer.MAX_VALUE) {
                v = v * 10 + (b[pos++] - '0');
            }
            if (pos > from && terminator(pos) && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
            String text = field(from);
            if (text.isEmpty()) {
                throw new Bad(layout.name(column) + " is empty");
            }
            if (text.matches("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d")) {
                throw new Bad(layout.name(column) + " \"" + text + "\" is a date, not Unix seconds (--format kaggle-csv reads dates)");
            }
            if (text.matches("-\\d+")) {
                throw new Bad(layout.name(column) + " " + text + " is negative: Unix seconds before 1970");
            }
            if (text.matches("\\d+")) {
                throw new Bad(layout.name(column) + " " + text + " is past 2038-01-19, the last time 32-bit Unix seconds hold");
            }
            throw new Bad(layout.name(column) + " \"" + text + "\" is not whole Unix seconds");
        }

        /** 'YYYY-MM-DD HH:MM:SS' (UTC, as Kaggle wrote it) to Unix seconds. */
        private int datetime(int column) throws Bad {
            int from = pos;
            int p = pos;
            boolean shaped = p + 19 <= limit && terminator(p + 19)
                    && b[p + 4] == '-' && b[p + 7] == '-' && (b[p + 10] == ' ' || b[p + 10] == 'T')
                    && b[p + 13] == ':' && b[p + 16] == ':';
            int year = shaped ? digits(p, 4) : -1;
            int month = shaped ? digits(p + 5, 2) : -1;
            int day = shaped ? digits(p + 8, 2) : -1;
            int hour = shaped ? digits(p + 11, 2) : -1;
            int minute = shaped ? digits(p + 14, 2) : -1;
            int second = shaped ? digits(p + 17, 2) : -1;
            if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
                String text = field(from);
                throw new Bad(text.isEmpty() ? layout.name(column) + " is empty"
                        : layout.name(column) + " \"" + text + "\" is not a YYYY-MM-DD HH:MM:SS time");
            }
            if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
                throw new Bad(layout.name(column) + " \"" + field(from) + "\" is not a valid time");
            }
            long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
            if (seconds < 0 || seconds > Integer.MAX_VALUE) {
                throw new Bad(layout.name(column) + " \"" + field(from) + "\" is outside 1970-01-01..2038-01-19");
            }
            pos = p + 19;
            return (int) seconds;
        }

        private int digits(int at, int n) {
            int v = 0;
            for (int i = at; i < at + n; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        private void skipField(int column) throws Bad {
            if (pos < limit && b[pos] == '"') {
                int from = pos++;
                while (true) {
                    if (pos >= limit || b[pos] == '\n') {
                        throw new Bad(layout.name(column) + " has an unclosed quote: " + field(from));
                    }
                    if (b[pos] == '"') {
                        if (pos + 1 < limit && b[pos + 1] == '"') {
                            pos += 2;
                            continue;
                        }
                        pos++;
                        break;
                    }
                    pos++;
                }
                if (!terminator(pos)) {
                    throw new Bad(layout.name(column) + " has text after its closing quote");
                }
                return;
            }
            while (!terminator(pos)) {
                pos++;
            }
        }
    }

    /** Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date. */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
