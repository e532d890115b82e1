package org.scatterlens.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format for the two element types a model holds: little-endian
 * float32 ({@code '<f4'}) and int32 ({@code '<i4'}), C order, 1-D or 2-D.
 * Files written here load with {@code numpy.load}; files numpy writes for
 * these types read here.
 *
 * <p>Layout (NumPy's format spec, version 1.0): the magic {@code \x93NUMPY},
 * version bytes 1 0, a little-endian uint16 header length, then an ASCII
 * Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 8), }}
 * padded with spaces and ended by a newline so that the data starts at a
 * multiple of 64 bytes, then the raw elements. The writer's bytes equal
 * numpy's own ({@link #header}). The reader also takes versions
 * 2.0 and 3.0 (uint32 header length), which numpy writes for huge headers.
 *
 * <p>The reader is strict: another dtype, Fortran order, another shape or a
 * file whose size disagrees with its header is an {@link NpyException} naming
 * the file, what was expected and what was found.
 */
public final class Npy {
    /** Element types; the descr strings are numpy's. */
    public enum Dtype {
        FLOAT32("<f4"), INT32("<i4");

        private final String descr;

        Dtype(String descr) {
            this.descr = descr;
        }

        /** numpy's name of the type: float32, int32. */
        public String label() {
            return this == FLOAT32 ? "float32" : "int32";
        }

        /** numpy's descr, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        static Dtype ofDescr(String descr) {
            for (Dtype d : values()) {
                if (d.descr.equals(descr)) {
                    return d;
                }
            }
            return null;
        }
    }

    /**
     * A parsed header.
     *
     * @param descr        numpy's dtype string as found, e.g. {@code <f4}
     * @param fortranOrder whether the data is column-major (never for files this class writes)
     * @param shape        dimensions; empty for a scalar
     * @param dataOffset   bytes before the first element
     */
    public record Header(String descr, boolean fortranOrder, long[] shape, int dataOffset) {
        /** Number of elements: the product of the shape. */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** A malformed .npy file or one that differs from what the caller expects. */
    public static final class NpyException extends IOException {
        public NpyException(String message) {
            super(message);
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_DIGITS = 21;
    private static final int ELEMENT_BYTES = 4;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes {@code data} to {@code file} as a float32 array of the given shape (1 or 2 dimensions). */
    public static void writeFloats(Path file, float[] data, long... shape) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeFloats(out, data, shape);
        }
    }

    /** Writes {@code data} to {@code file} as an int32 array of the given shape (1 or 2 dimensions). */
    public static void writeInts(Path file, int[] data, long... shape) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeInts(out, data, shape);
        }
    }

    /** Writes a whole .npy file of float32 {@code data} to {@code out}. */
    public static void writeFloats(OutputStream out, float[] data, long... shape) throws IOException {
        ByteBuffer body = body(Dtype.FLOAT32, data.length, shape);
        body.asFloatBuffer().put(data);
        out.write(header(Dtype.FLOAT32, shape));
        out.write(body.array());
    }

    /** Writes a whole .npy file of int32 {@code data} to {@code out}. */
    public static void writeInts(OutputStream out, int[] data, long... shape) throws IOException {
        ByteBuffer body = body(Dtype.INT32, data.length, shape);
        body.asIntBuffer().put(data);
        out.write(header(Dtype.INT32, shape));
        out.write(body.array());
    }

    /**
     * The float32 array in {@code file}, which must have exactly {@code shape}.
     *
     * @throws NpyException naming the file, the expected and the found dtype or shape
     */
    public static float[] readFloats(Path file, long... shape) throws IOException {
        ByteBuffer body = readBody(file, Dtype.FLOAT32, shape);
        float[] out = new float[body.remaining() / ELEMENT_BYTES];
        body.asFloatBuffer().get(out);
        return out;
    }

    /**
     * The int32 array in {@code file}, which must have exactly {@code shape}.
     *
     * @throws NpyException naming the file, the expected and the found dtype or shape
     */
    public static int[] readInts(Path file, long... shape) throws IOException {
        ByteBuffer body = readBody(file, Dtype.INT32, shape);
        int[] out = new int[body.remaining() / ELEMENT_BYTES];
        body.asIntBuffer().get(out);
        return out;
    }

    /**
     * The header bytes (magic to newline) of a version 1.0 file of this dtype and shape, byte for byte
     * what numpy 1.22+ writes: the dict, then room for the first dimension to grow to 21 digits
     * (numpy's GROWTH_AXIS_MAX_DIGITS, for appending in place), then spaces up to a multiple of 64 bytes
     * counting the final newline (a full 64 when already aligned, as numpy does).
     */
    public static byte[] header(Dtype dtype, long... shape) {
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(GROWTH_DIGITS - Long.toString(shape[0]).length());
        }
        int prefix = MAGIC.length + 2 + 2;
        int withNewline = dict.length() + 1;
        int pad = ALIGN - (prefix + withNewline) % ALIGN;
        int headerLength = withNewline + pad;
        if (headerLength > 0xFFFF) {
            throw new IllegalArgumentException("npy header of shape " + shapeText(shape) + " is too long for version 1.0");
        }
        ByteBuffer out = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength);
        out.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (out.position() < out.capacity() - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** numpy's spelling of a shape: {@code (5,)}, {@code (3, 8)}, {@code ()}. */
    public static String shapeText(long... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            out.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return out.append(')').toString();
    }

    /**
     * The header of {@code file}.
     *
     * @throws NpyException when the file is not a .npy file or its header is malformed
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        pre.flip();
        byte[] magic = new byte[MAGIC.length];
        if (pre.remaining() < 10) {
            throw new NpyException(file + ": not a .npy file (" + ch.size() + " bytes, shorter than the header)");
        }
        pre.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new NpyException(file + ": not a .npy file (no \\x93NUMPY magic at its start)");
        }
        int major = pre.get() & 0xFF;
        int minor = pre.get() & 0xFF;
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = pre.getShort() & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (pre.remaining() < 4) {
                throw new NpyException(file + ": truncated .npy header");
            }
            headerLength = pre.getInt() & 0xFFFFFFFFL;
            prefix = 12;
        } else {
            throw new NpyException(file + ": .npy format version " + major + "." + minor + ", this reader knows 1.0, 2.0 and 3.0");
        }
        if (prefix + headerLength > ch.size()) {
            throw new NpyException(file + ": truncated .npy header (" + headerLength + " header bytes announced, file has "
                    + ch.size() + " bytes)");
        }
        ByteBuffer dictBytes = ByteBuffer.allocate((int) headerLength);
        readFully(ch, dictBytes, prefix);
        String dict = new String(dictBytes.array(), 0, dictBytes.position(),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!dict.startsWith("{") || !dict.endsWith("}") || !descr.find() || !fortran.find() || !shape.find()) {
            throw new NpyException(file + ": malformed .npy header " + dict);
        }
        return new Header(descr.group(1), fortran.group(1).equals("True"), parseShape(file, shape.group(1)),
                (int) (prefix + headerLength));
    }

    private static long[] parseShape(Path file, String inner) throws NpyException {
        String[] parts = inner.split(",");
        long[] out = new long[parts.length];
        int n = 0;
        for (String part : parts) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                out[n++] = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw new NpyException(file + ": malformed .npy shape (" + inner + ")");
            }
            if (out[n - 1] < 0) {
                throw new NpyException(file + ": negative dimension in .npy shape (" + inner + ")");
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static ByteBuffer readBody(Path file, Dtype dtype, long[] shape) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            if (!dtype.descr().equals(h.descr())) {
                Dtype found = Dtype.ofDescr(h.descr());
                throw new NpyException(file + ": dtype '" + h.descr() + "'" + (found == null ? "" : " (" + found.label() + ")")
                        + ", expected '" + dtype.descr() + "' (" + dtype.label() + ")");
            }
            if (h.fortranOrder()) {
                throw new NpyException(file + ": Fortran order, expected C order (save with numpy.ascontiguousarray)");
            }
            if (!Arrays.equals(h.shape(), shape)) {
                throw new NpyException(file + ": shape " + shapeText(h.shape()) + ", expected " + shapeText(shape));
            }
            long bytes = h.elements() * ELEMENT_BYTES;
            long found = ch.size() - h.dataOffset();
            if (found != bytes) {
                throw new NpyException(file + ": " + found + " data bytes, expected " + bytes + " for shape "
                        + shapeText(shape) + (found < bytes ? " (truncated)" : " (trailing bytes)"));
            }
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new NpyException(file + ": " + bytes + " data bytes is more than one Java array holds");
            }
            ByteBuffer body = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, body, h.dataOffset());
            body.flip();
            return body;
        }
    }

    private static ByteBuffer body(Dtype dtype, int length, long[] shape) {
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("npy shape " + shapeText(shape) + " has " + shape.length
                    + " dimensions, this writer takes 1 or 2");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in npy shape " + shapeText(shape));
            }
            elements *= d;
        }
        if (elements != length) {
            throw new IllegalArgumentException(length + " " + dtype.label()
                    + " values do not fill shape " + shapeText(shape) + " (" + elements + ")");
        }
        if (length > (Integer.MAX_VALUE - 8) / ELEMENT_BYTES) {
            throw new IllegalArgumentException(length + " values are more than one buffer holds");
        }
        return ByteBuffer.allocate(length * ELEMENT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }
}
