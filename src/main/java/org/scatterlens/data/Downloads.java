package org.scatterlens.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Fetches a GroupLens archive once: download with progress, verify against the
 * MD5 GroupLens publishes beside it, extract into {@code <cache home>/<name>}
 * through a hidden ".part" folder renamed at the end (so the folder exists
 * only when complete), refusing entries that would land outside it. The next
 * call finds the folder and its ".scatterlens-verified" marker and returns at once.
 */
public final class Downloads {
    /** Written last into an extracted folder: the archive's URL and MD5. */
    public static final String MARKER = ".scatterlens-verified";
    private static final Pattern MD5 = Pattern.compile("\\b([0-9a-fA-F]{32})\\b");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Downloads() {}

    /** Progress of one transfer; {@link #NONE} shows nothing, {@link #console()} a bar on stderr. */
    public interface Progress {
        void start(String what, long totalBytes);

        void advance(long bytes);

        void finish();

        Progress NONE = new Progress() {
            @Override
            public void start(String what, long totalBytes) {}

            @Override
            public void advance(long bytes) {}

            @Override
            public void finish() {}
        };

        /** A progress bar on stderr, in MiB. */
        static Progress console() {
            return new Progress() {
                private ProgressBar bar;

                @Override
                public void start(String what, long totalBytes) {
                    bar = new ProgressBarBuilder().setTaskName(what).setInitialMax(Math.max(totalBytes, 0))
                            .setUnit(" MiB", 1 << 20).setStyle(ProgressBarStyle.ASCII).showSpeed()
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
                }

                @Override
                public void advance(long bytes) {
                    bar.stepBy(bytes);
                }

                @Override
                public void finish() {
                    if (bar != null) {
                        bar.close();
                    }
                }
            };
        }
    }

    /**
     * Where archives come from: {@code mirror} when given, else -Dscatterlens.mirror, else
     * $SCATTERLENS_MIRROR, else GroupLens. A trailing '/' is dropped.
     */
    public static String baseUrl(String mirror) {
        String base = mirror;
        if (base == null || base.isBlank()) {
            base = System.getProperty("scatterlens.mirror");
        }
        if (base == null || base.isBlank()) {
            base = System.getenv("SCATTERLENS_MIRROR");
        }
        if (base == null || base.isBlank()) {
            base = GroupLensDataset.OFFICIAL_BASE_URL;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The verified, extracted folder of {@code dataset} under {@code home}, if it is there. */
    public static Optional<Path> existing(GroupLensDataset dataset, Path home) {
        Path folder = home.resolve(dataset.id());
        return Files.isRegularFile(folder.resolve(MARKER)) ? Optional.of(folder) : Optional.empty();
    }

    /**
     * The extracted folder of {@code dataset} under {@code home}; downloads, verifies and extracts it first when missing.
     *
     * @param baseUrl where the archives are, e.g. {@link GroupLensDataset#OFFICIAL_BASE_URL}
     * @throws IOException naming the URL on a failed or cut-short transfer, a checksum mismatch, or an unsafe archive
     */
    public static Path ensure(GroupLensDataset dataset, Path home, String baseUrl, Progress progress) throws IOException {
        Optional<Path> done = existing(dataset, home);
        if (done.isPresent()) {
            return done.get();
        }
        Path target = home.resolve(dataset.id());
        if (Files.exists(target)) {
            throw new IOException(target + " exists but is not a verified download (no " + MARKER
                    + "): move it away and run again");
        }
        Files.createDirectories(home);
        String url = baseUrl + "/" + dataset.zipName();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String expected = publishedMd5(http, url + ".md5").or(dataset::knownMd5).orElseThrow(() -> new IOException(
                "no checksum at " + url + ".md5 and none known for " + dataset.id() + ": refusing an unverified download"));
        String suffix = Long.toHexString(RANDOM.nextLong());
        Path zip = home.resolve("." + dataset.zipName() + "." + suffix + ".part");
        Path part = home.resolve("." + dataset.id() + "." + suffix + ".part");
        try {
            String actual = download(http, url, zip, progress);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new IOException("checksum mismatch for " + url + ": the download's MD5 is " + actual
                        + ", the published one " + expected + " (the file was removed; try again, or another --mirror)");
            }
            extract(zip, part);
            Files.writeString(part.resolve(MARKER), url + "\nmd5 " + expected + "\n");
            try {
                AtomicFile.move(part, target);
            } catch (IOException e) {
                // Another run may have finished the same download meanwhile: use its folder.
                if (existing(dataset, home).isEmpty()) {
                    throw e;
                }
            }
            return target;
        } finally {
            Files.deleteIfExists(zip);
            deleteTree(part);
        }
    }

    /** The MD5 in the file at {@code md5Url} (GroupLens writes "MD5 (ml-20m.zip) = hex"), or empty when there is none. */
    static Optional<String> publishedMd5(HttpClient http, String md5Url) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(md5Url)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + md5Url, e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for " + md5Url);
        }
        Matcher m = MD5.matcher(response.body());
        if (!m.find()) {
            throw new IOException(md5Url + " holds no MD5 checksum: \"" + response.body().strip() + "\"");
        }
        return Optional.of(m.group(1).toLowerCase());
    }

    /** Streams {@code url} into {@code into}; returns the MD5 of what arrived. */
    private static String download(HttpClient http, String url, Path into, Progress progress) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        OptionalLong expected = response.headers().firstValueAsLong("Content-Length");
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode() + " for " + url);
        }
        MessageDigest md5 = md5();
        long received = 0;
        progress.start("downloading " + url.substring(url.lastIndexOf('/') + 1), expected.orElse(-1));
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(into, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                received += n;
                progress.advance(n);
            }
        } catch (IOException e) {
            throw new IOException("download of " + url + " broke off after " + received + " of "
                    + (expected.isPresent() ? expected.getAsLong() : "?") + " bytes", e);
        } finally {
            progress.finish();
        }
        if (expected.isPresent() && received != expected.getAsLong()) {
            throw new IOException("download of " + url + " was cut short: " + received + " of " + expected.getAsLong() + " bytes");
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /**
     * Extracts {@code zip} into {@code folder}, dropping the one top folder that GroupLens's archives have
     * (ml-20m/...). Every entry is checked before anything is written.
     */
    static void extract(Path zip, Path folder) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = archive.entries(); e.hasMoreElements(); ) {
                entries.add(e.nextElement());
            }
            String top = commonTopFolder(entries);
            Path root = folder.toAbsolutePath().normalize();
            List<Path> targets = new ArrayList<>();
            for (ZipEntry entry : entries) {
                String name = entry.getName();
                String relative = name.substring(top.length());
                Path target = root.resolve(relative).normalize();
                boolean escapes = name.startsWith("/") || name.contains("\\") || name.matches("(^|.*/)\\.\\.(/.*|$)")
                        || !target.startsWith(root) || name.matches("^[A-Za-z]:.*");
                if (escapes) {
                    throw new IOException("zip entry '" + name + "' in " + zip.getFileName()
                            + " would land outside the target folder: refusing the archive");
                }
                targets.add(target);
            }
            Files.createDirectories(root);
            for (int i = 0; i < entries.size(); i++) {
                ZipEntry entry = entries.get(i);
                Path target = targets.get(i);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** "ml-20m/" when every entry is inside that one folder, else "". */
    private static String commonTopFolder(List<ZipEntry> entries) {
        String top = null;
        for (ZipEntry entry : entries) {
            String name = entry.getName();
            int slash = name.indexOf('/');
            String first = slash < 0 ? null : name.substring(0, slash + 1);
            if (first == null || first.equals("../") || first.equals("./") || (top != null && !top.equals(first))) {
                return "";
            }
            top = first;
        }
        return top == null ? "" : top;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }
}
