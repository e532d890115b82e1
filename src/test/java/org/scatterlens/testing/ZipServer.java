package org.scatterlens.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server for download tests: serves byte arrays by path, 404
 * for the rest, and can cut a response short after half its bytes.
 */
public final class ZipServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Boolean> truncated = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public ZipServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (truncated.getOrDefault(path, false)) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    // Closing the connection mid-body is what a dropped transfer looks like.
                    exchange.getHttpContext().getServer().stop(0);
                    return;
                }
                out.write(body);
            }
        });
        server.start();
    }

    /** "http://127.0.0.1:port/movielens" */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/movielens";
    }

    public void serve(String name, byte[] body) {
        files.put("/movielens/" + name, body);
    }

    public void serveTruncated(String name, byte[] body) {
        serve(name, body);
        truncated.put("/movielens/" + name, true);
    }

    public int requests() {
        return requests.get();
    }

    /** A zip of name -> text entries, in the order given. */
    public static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** GroupLens's .md5 text for {@code name}: "MD5 (name) = hex". */
    public static byte[] md5File(String name, byte[] content) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
            return ("MD5 (" + name + ") = " + hex + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
