package org.scatterlens.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The parsed ratings of a source file, saved in binary beside it
 * ({@code ratings.csv.slcache}) or, where that folder cannot be written, under
 * {@code <cache home>/ratings/}. The next load memory-maps it and bulk-copies
 * the columns instead of parsing.
 *
 * <p>A cache is used only when it was made from the same source (size,
 * modification time, CRC-32C of the first and last 64 KiB) with the same
 * options (format, skip-bad-lines) by the same version of the reader. It is
 * written to a temporary file and renamed, so a reader never sees half of one.
 *
 * <p>Layout, little-endian: a header (magic, version, source key, what the
 * parse reported, counts), padded to 64 bytes, then the user ids, the movie
 * ids, and the four columns (user rows, movie rows, ratings, times).
 */
public final class RatingsCache {
    static final long MAGIC = 0x31454843_41434C53L;   // "SLCACHE1" little-endian
    /** Bump when the reader's output for the same file changes. */
    static final int VERSION = 1;
    static final String SUFFIX = ".slcache";
    private static final int KEY_BYTES = 64 << 10;
    private static final int ALIGN = 64;

    private RatingsCache() {}

    /**
     * What a cache must match: the source's identity and the parse options.
     *
     * @param format "auto" or a {@link RatingFormat#id()}
     */
    public record Key(long size, long modifiedMillis, long headCrc, long tailCrc, String format, boolean skipBadLines) {
        /** The key of {@code source} as it is now, for a parse with these options. */
        public static Key of(Path source, RatingFormat format, boolean skipBadLines) throws IOException {
            try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
                long size = channel.size();
                int headLength = (int) Math.min(size, KEY_BYTES);
                int tailLength = (int) Math.min(size, KEY_BYTES);
                long head = crc(RatingsReader.readFully(channel, 0, headLength));
                long tail = crc(RatingsReader.readFully(channel, size - tailLength, tailLength));
                return new Key(size, Files.getLastModifiedTime(source).toMillis(), head, tail,
                        format == null ? "auto" : format.id(), skipBadLines);
            }
        }

        private static long crc(byte[] bytes) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            return crc.getValue();
        }
    }

    /** The cache file beside {@code source}. */
    public static Path besidePath(Path source) {
        Path absolute = source.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + SUFFIX);
    }

    /** The cache file for {@code source} under {@code cacheHome}, for read-only source folders. */
    public static Path fallbackPath(Path source, Path cacheHome) {
        Path absolute = source.toAbsolutePath().normalize();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(absolute.toString().getBytes(StandardCharsets.UTF_8));
            String tag = HexFormat.of().formatHex(digest, 0, 8);
            return cacheHome.resolve("ratings").resolve(tag + "-" + absolute.getFileName() + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A cache that was found and matched, and where. */
    public record Hit(ParsedRatings parsed, Path path) {}

    /** The cached parse of {@code source} if a matching cache exists beside it or under cacheHome. */
    public static Optional<Hit> load(Path source, Key key, Path cacheHome) throws IOException {
        for (Path path : List.of(besidePath(source), fallbackPath(source, cacheHome))) {
            Optional<ParsedRatings> parsed = read(path, key);
            if (parsed.isPresent()) {
                return Optional.of(new Hit(parsed.get(), path));
            }
        }
        return Optional.empty();
    }

    /**
     * Saves {@code parsed} beside {@code source}, or under cacheHome when that fails.
     *
     * @return where it was written
     * @throws IOException when neither place can be written (the message names both)
     */
    public static Path store(Path source, Key key, ParsedRatings parsed, Path cacheHome) throws IOException {
        Path beside = besidePath(source);
        try {
            write(beside, key, parsed);
            return beside;
        } catch (IOException besideFailed) {
            Path fallback = fallbackPath(source, cacheHome);
            try {
                write(fallback, key, parsed);
                return fallback;
            } catch (IOException fallbackFailed) {
                fallbackFailed.addSuppressed(besideFailed);
                throw new IOException("cannot write a cache beside " + source + " (" + besideFailed + ") nor at "
                        + fallback + " (" + fallbackFailed + ")", fallbackFailed);
            }
        }
    }

    /** Writes one cache file, atomically. */
    static void write(Path path, Key key, ParsedRatings parsed) throws IOException {
        Ratings r = parsed.ratings();
        byte[] header = header(key, parsed);
        AtomicFile.write(path, out -> {
            AtomicFile.writeFully(out, ByteBuffer.wrap(header));
            ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
            writeInts(out, buffer, r.users().rawIds());
            writeInts(out, buffer, r.items().rawIds());
            writeInts(out, buffer, r.userRows());
            writeInts(out, buffer, r.itemRows());
            float[] values = r.values();
            for (int from = 0; from < values.length; from += buffer.capacity() / 4) {
                int count = Math.min(buffer.capacity() / 4, values.length - from);
                buffer.clear();
                buffer.asFloatBuffer().put(values, from, count);
                buffer.limit(count * 4);
                AtomicFile.writeFully(out, buffer);
            }
            writeInts(out, buffer, r.times());
        });
    }

    private static void writeInts(FileChannel out, ByteBuffer buffer, int[] values) throws IOException {
        for (int from = 0; from < values.length; from += buffer.capacity() / 4) {
            int count = Math.min(buffer.capacity() / 4, values.length - from);
            buffer.clear();
            buffer.asIntBuffer().put(values, from, count);
            buffer.limit(count * 4);
            AtomicFile.writeFully(out, buffer);
        }
    }

    private static byte[] header(Key key, ParsedRatings parsed) {
        Ratings r = parsed.ratings();
        List<byte[]> strings = new ArrayList<>();
        strings.add(key.format().getBytes(StandardCharsets.UTF_8));
        strings.add(parsed.format().id().getBytes(StandardCharsets.UTF_8));
        for (String example : parsed.skippedExamples()) {
            strings.add(example.getBytes(StandardCharsets.UTF_8));
        }
        int length = 8 + 4 + 8 * 4 + 1 + 8 * 4 + 4 + 4 * 3;
        for (byte[] s : strings) {
            length += 4 + s.length;
        }
        int padded = (length + ALIGN - 1) / ALIGN * ALIGN;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(VERSION);
        b.putLong(key.size()).putLong(key.modifiedMillis()).putLong(key.headCrc()).putLong(key.tailCrc());
        b.put((byte) (key.skipBadLines() ? 1 : 0));
        b.putLong(parsed.dataLines()).putLong(parsed.skippedLines()).putLong(parsed.blankLines()).putLong(parsed.duplicatesRemoved());
        b.putInt(strings.size());
        for (byte[] s : strings) {
            b.putInt(s.length).put(s);
        }
        b.putInt(r.users().size()).putInt(r.items().size()).putInt(r.size());
        return b.array();
    }

    /** The cache at {@code path} if it exists, is whole and matches {@code key}; empty otherwise. */
    static Optional<ParsedRatings> read(Path path, Key key) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 64) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(RatingsReader.readFully(channel, 0, (int) Math.min(fileSize, 1 << 20)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (b.getLong() != MAGIC || b.getInt() != VERSION) {
                return Optional.empty();
            }
            long size = b.getLong();
            long modified = b.getLong();
            long headCrc = b.getLong();
            long tailCrc = b.getLong();
            boolean skipped = b.get() != 0;
            long dataLines = b.getLong();
            long skippedLines = b.getLong();
            long blankLines = b.getLong();
            long duplicates = b.getLong();
            int stringCount = b.getInt();
            if (stringCount < 2 || stringCount > 64) {
                return Optional.empty();
            }
            List<String> strings = new ArrayList<>();
            for (int s = 0; s < stringCount; s++) {
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    return Optional.empty();
                }
                byte[] bytes = new byte[length];
                b.get(bytes);
                strings.add(new String(bytes, StandardCharsets.UTF_8));
            }
            int users = b.getInt();
            int items = b.getInt();
            int n = b.getInt();
            long start = (b.position() + ALIGN - 1) / ALIGN * ALIGN;
            boolean sameSource = size == key.size() && modified == key.modifiedMillis() && headCrc == key.headCrc()
                    && tailCrc == key.tailCrc();
            // A parse that skipped nothing is also what a strict parse gives.
            boolean sameOptions = strings.get(0).equals(key.format()) && (skipped == key.skipBadLines() || skippedLines == 0);
            if (!sameSource || !sameOptions || users < 0 || items < 0 || n < 0
                    || fileSize != start + 4L * users + 4L * items + 16L * n) {
                return Optional.empty();
            }
            RatingFormat format = RatingFormat.byId(strings.get(1));
            int[] userIds = new int[users];
            int[] itemIds = new int[items];
            int[] userRows = new int[n];
            int[] itemRows = new int[n];
            float[] values = new float[n];
            int[] times = new int[n];
            long at = start;
            long[] offsets = {at, at += 4L * users, at += 4L * items, at += 4L * n, at += 4L * n, at += 4L * n};
            // Six columns, copied in parallel straight from the page cache.
            try {
                Parallel.forEachBlock(6, column -> {
                    try {
                        int count = column == 0 ? users : column == 1 ? items : n;
                        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, offsets[column], 4L * count);
                        map.order(ByteOrder.LITTLE_ENDIAN);
                        switch (column) {
                            case 0 -> map.asIntBuffer().get(userIds);
                            case 1 -> map.asIntBuffer().get(itemIds);
                            case 2 -> map.asIntBuffer().get(userRows);
                            case 3 -> map.asIntBuffer().get(itemRows);
                            case 4 -> map.asFloatBuffer().get(values);
                            default -> map.asIntBuffer().get(times);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Ratings ratings = new Ratings(userRows, itemRows, values, times, IdIndex.ofSorted(userIds), IdIndex.ofSorted(itemIds));
            return Optional.of(new ParsedRatings(ratings, format, dataLines, skippedLines,
                    strings.subList(2, strings.size()), blankLines, duplicates));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            // A damaged cache (rows outside the id maps, an unknown format): parse the source again.
            return Optional.empty();
        }
    }
}
