package org.scatterlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    /**
     * The header of a (3, 8) float32 array per the NumPy format spec, counted by hand: 6 magic bytes,
     * version 1 0, uint16 header length; the dict is 59 characters; numpy adds 21 - len("3") = 20 spaces
     * of room to grow the first axis; 10 + 59 + 20 + 1 (newline) = 90, so 38 more spaces reach 128:
     * header length 128 - 10 = 118 = 0x76.
     */
    @Test
    void headerMatchesTheSpecCountedByHand() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 8), }";
        assertEquals(59, dict.length());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0});
        expected.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(" ".repeat(20 + 38).getBytes(StandardCharsets.US_ASCII));
        expected.write('\n');
        byte[] header = Npy.header(Npy.Dtype.FLOAT32, 3, 8);
        assertEquals(128, header.length);
        assertArrayEquals(expected.toByteArray(), header);
    }

    @Test
    void oneDimensionalShapeHasATrailingComma() {
        String text = new String(Npy.header(Npy.Dtype.INT32, 5), StandardCharsets.US_ASCII);
        assertTrue(text.contains("{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }"), text);
        assertEquals(0, Npy.header(Npy.Dtype.INT32, 5).length % 64);
    }

    /** The bytes numpy 2.4 wrote for np.save(f, np.array([[1, -2, 3], [4, 5, 2**31 - 1]], dtype='<i4')). */
    private static final String NUMPY_INT_2X3 =
            "934e554d5059010076007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a2046616c73652c"
            + "20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a01000000feffffff030000000400000005000000ffff"
            + "ff7f";

    @Test
    void readsWhatNumpyWroteAndWritesTheSameBytes() throws IOException {
        byte[] numpy = HexFormat.of().parseHex(NUMPY_INT_2X3);
        Path file = tmp.resolve("numpy.npy");
        Files.write(file, numpy);
        assertArrayEquals(new int[] {1, -2, 3, 4, 5, Integer.MAX_VALUE}, Npy.readInts(file, 2, 3));

        Path ours = tmp.resolve("ours.npy");
        Npy.writeInts(ours, new int[] {1, -2, 3, 4, 5, Integer.MAX_VALUE}, 2, 3);
        assertArrayEquals(numpy, Files.readAllBytes(ours));
    }

    @Test
    void floatsRoundTripBitExactly() throws IOException {
        float[] data = {0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3.4028235e38f, 0.1f};
        Path file = tmp.resolve("f.npy");
        Npy.writeFloats(file, data, 2, 4);
        float[] back = Npy.readFloats(file, 2, 4);
        for (int i = 0; i < data.length; i++) {
            assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, raw.getFloat(128 + 8), "little-endian, C order, after a 128-byte header");
    }

    @Test
    void emptyArraysRoundTrip() throws IOException {
        Path file = tmp.resolve("e.npy");
        Npy.writeFloats(file, new float[0], 0, 8);
        assertEquals(0, Npy.readFloats(file, 0, 8).length);
        assertArrayEquals(new long[] {0, 8}, Npy.readHeader(file).shape());
    }

    @Test
    void readsAVersion2Header() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        int total = 128;
        ByteBuffer b = ByteBuffer.allocate(total + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(total - 12);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n').putFloat(1f).putFloat(2f);
        Path file = tmp.resolve("v2.npy");
        Files.write(file, b.array());
        assertArrayEquals(new float[] {1f, 2f}, Npy.readFloats(file, 2));
    }

    @Test
    void wrongDtypeNamesFileExpectedAndFound() throws IOException {
        Path file = tmp.resolve("ids.npy");
        Npy.writeInts(file, new int[] {1, 2, 3}, 3);
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.readFloats(file, 3));
        assertEquals(file + ": dtype '<i4' (int32), expected '<f4' (float32)", e.getMessage());
    }

    @Test
    void wrongShapeNamesFileExpectedAndFound() throws IOException {
        Path file = tmp.resolve("t.npy");
        Npy.writeFloats(file, new float[6], 3, 2);
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.readFloats(file, 2, 3));
        assertEquals(file + ": shape (3, 2), expected (2, 3)", e.getMessage());
        e = assertThrows(Npy.NpyException.class, () -> Npy.readFloats(file, 6));
        assertEquals(file + ": shape (3, 2), expected (6,)", e.getMessage());
    }

    @Test
    void truncatedAndPaddedFilesAreRejected() throws IOException {
        Path file = tmp.resolve("t.npy");
        Npy.writeFloats(file, new float[4], 4);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 3));
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.readFloats(file, 4));
        assertEquals(file + ": 13 data bytes, expected 16 for shape (4,) (truncated)", e.getMessage());
        Files.write(file, Arrays.copyOf(all, all.length + 4));
        e = assertThrows(Npy.NpyException.class, () -> Npy.readFloats(file, 4));
        assertTrue(e.getMessage().endsWith("20 data bytes, expected 16 for shape (4,) (trailing bytes)"), e.getMessage());
    }

    @Test
    void notANpyFile() throws IOException {
        Path file = tmp.resolve("x.npy");
        Files.writeString(file, "userId,movieId\n1,2\n");
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.readInts(file, 2));
        assertEquals(file + ": not a .npy file (no \\x93NUMPY magic at its start)", e.getMessage());
        Files.write(file, new byte[] {(byte) 0x93, 'N'});
        e = assertThrows(Npy.NpyException.class, () -> Npy.readInts(file, 2));
        assertEquals(file + ": not a .npy file (2 bytes, shorter than the header)", e.getMessage());
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        byte[] header = new String(Npy.header(Npy.Dtype.FLOAT32, 2, 2), StandardCharsets.ISO_8859_1)
                .replace("'fortran_order': False", "'fortran_order': True ").getBytes(StandardCharsets.ISO_8859_1);
        Path file = tmp.resolve("f.npy");
        Files.write(file, Arrays.copyOf(header, header.length + 16));
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.readFloats(file, 2, 2));
        assertTrue(e.getMessage().contains("Fortran order, expected C order"), e.getMessage());
    }

    @Test
    void writerRejectsDataThatDoesNotFillTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.writeFloats(tmp.resolve("bad.npy"), new float[5], 2, 3));
        assertEquals("5 float32 values do not fill shape (2, 3) (6)", e.getMessage());
    }
}
