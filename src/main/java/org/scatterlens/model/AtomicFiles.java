package org.scatterlens.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes that a crash cannot leave half done: a file or a whole directory is
 * written under a temporary sibling name, flushed to disk, then renamed into
 * place. A reader sees the old version or the new one, never a mix.
 */
public final class AtomicFiles {
    /** Writes into an open stream or directory; may throw. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T target) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Writes {@code file} from {@code body} atomically, replacing any existing file. */
    public static void writeFile(Path file, Writer<OutputStream> body) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        // Not Files.createTempFile: its files are private (0600); this one gets the umask's permissions.
        Path temp = parent.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(out);
                out.flush();
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(parent);
    }

    /** Where {@link #replaceDirectory} stages the new version of {@code dir}. */
    public static Path stagingOf(Path dir) {
        return dir.resolveSibling("." + dir.getFileName() + ".saving");
    }

    /**
     * Where {@link #replaceDirectory} keeps the old version of {@code dir} for the
     * instant between its two renames; after a crash there, the only complete copy.
     */
    public static Path previousOf(Path dir) {
        return dir.resolveSibling("." + dir.getFileName() + ".previous");
    }

    /**
     * Fills a fresh staging directory beside {@code dir}, flushes every file in
     * it to disk, then swaps it in for {@code dir}: rename the old one to
     * {@link #previousOf}, rename the staging one to {@code dir}, delete the
     * old one. A crash at any point leaves a complete version at {@code dir}
     * or, between the two renames, at {@link #previousOf}. When {@code fill}
     * throws, the staging directory is deleted and {@code dir} is untouched.
     * Not for concurrent writers of the same directory.
     *
     * <p>Entries of the old directory that {@code owned} does not claim (a
     * training checkpoint, a report, someone's notes) are carried into the new
     * one before the swap, as hard links where the file system allows (else
     * copies), so that replacing the directory never loses them.
     *
     * @param dir   the directory to replace; the caller checks that it may be replaced
     * @param owned names of top-level entries that {@code fill} writes anew; the others are carried over
     */
    public static void replaceDirectory(Path dir, Predicate<String> owned, Writer<Path> fill) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = stagingOf(target);
        Path previous = previousOf(target);
        deleteTree(staging);                      // left by a crash during an earlier fill
        if (Files.exists(target)) {
            deleteTree(previous);                 // an earlier swap finished but crashed before its cleanup
        }
        Files.createDirectory(staging);
        try {
            fill.write(staging);
            if (Files.isDirectory(target)) {
                carryOver(target, staging, owned);
            }
            syncTree(staging);
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (Files.exists(target)) {
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(parent);
        deleteTree(previous);
    }

    /** Links (or copies) the entries of {@code from} that {@code owned} does not claim and {@code to} lacks into {@code to}. */
    private static void carryOver(Path from, Path to, Predicate<String> owned) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!owned.test(name) && !Files.exists(to.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    linkTree(entry, to.resolve(name));
                }
            }
        }
    }

    private static void linkTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(to);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
                for (Path entry : entries) {
                    linkTree(entry, to.resolve(entry.getFileName().toString()));
                }
            }
        } else if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createLink(to, from);
            } catch (IOException | UnsupportedOperationException noHardLinks) {
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } else {
            Files.copy(from, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Deletes {@code path} and everything under it; nothing when it does not exist. Links are removed, not followed. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(path)) {
            all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : all) {
            try {
                Files.delete(p);
            } catch (NoSuchFileException gone) {
                // deleted meanwhile: the goal is reached
            }
        }
    }

    private static void syncTree(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    syncTree(f);
                } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
            }
        }
        syncDirectory(dir);
    }

    /** Flushes a directory's entries (new names, renames) to disk; where the OS refuses, does nothing. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename is still atomic there.
        }
    }
}
