package org.scatterlens.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import org.scatterlens.model.DenseLayer;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;

/**
 * The checkpoint of a run: one file, {@code checkpoint.bin}, rewritten after
 * every epoch. Written to a temporary file, forced to disk, then renamed over
 * the old one, so a crash at any moment leaves the last good checkpoint.
 * A CRC32 trailer catches a damaged file; the fingerprint of the training
 * setup (model, data shape, seed, optimizers, batch size) refuses to resume a
 * different run.
 */
public final class Checkpoints {
    static final String FILE = "checkpoint.bin";
    private static final long MAGIC = 0x534c434b50543031L;  // "SLCKPT01"
    private static final int VERSION = 1;

    private final Path dir;

    public Checkpoints(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    public boolean exists() {
        return Files.isRegularFile(file());
    }

    /**
     * Everything a resumed run needs.
     *
     * @param epoch          the last completed epoch
     * @param bestEpoch      epoch of the best monitored value so far (0: none)
     * @param bestValue      that value
     * @param badEpochs      epochs since it improved
     * @param bestParameters weights of the best epoch, kept when early stopping restores them; else null
     */
    public record Checkpoint(String fingerprint, int epoch, EngineState state, List<EpochMetrics> history,
                             int bestEpoch, double bestValue, int badEpochs, ModelParameters bestParameters) {
        public Checkpoint {
            history = List.copyOf(history);
        }
    }

    public void save(Checkpoint c) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE + ".", ".tmp");
            try {
                CRC32 crc = new CRC32();
                try (OutputStream file = Files.newOutputStream(tmp);
                     CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(file, 1 << 20), crc);
                     DataOutputStream out = new DataOutputStream(checked)) {
                    write(out, c);
                    out.flush();
                    new DataOutputStream(file).writeLong(crc.getValue());
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException when the file is missing, damaged, of another format, or of another run
     */
    public Checkpoint load(String expectedFingerprint) {
        Path f = file();
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + f);
        }
        try {
            long size = Files.size(f);
            if (size < 16) {
                throw new IllegalArgumentException("checkpoint " + f + " is truncated (" + size + " bytes)");
            }
            CRC32 crc = new CRC32();
            Checkpoint c;
            try (InputStream file = Files.newInputStream(f);
                 CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(limit(file, size - 8), 1 << 20), crc);
                 DataInputStream in = new DataInputStream(checked)) {
                c = read(in, f);
                if (in.read() != -1) {
                    throw new IllegalArgumentException("checkpoint " + f + " has trailing bytes: damaged");
                }
            }
            long stored;
            try (DataInputStream tail = new DataInputStream(Files.newInputStream(f))) {
                tail.skipNBytes(size - 8);
                stored = tail.readLong();
            }
            if (stored != crc.getValue()) {
                throw new IllegalArgumentException("checkpoint " + f + " is damaged (CRC mismatch)");
            }
            if (!c.fingerprint().equals(expectedFingerprint)) {
                throw new IllegalArgumentException("checkpoint " + f + " is of another run: it was made with\n  "
                        + c.fingerprint() + "\nthis run is\n  " + expectedFingerprint);
            }
            return c;
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint " + f + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + f + ": " + e.getMessage(), e);
        }
    }

    private static InputStream limit(InputStream in, long bytes) {
        return new InputStream() {
            private long left = bytes;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(left, in.available());
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    private static void write(DataOutputStream out, Checkpoint c) throws IOException {
        out.writeLong(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(c.fingerprint());
        out.writeInt(c.epoch());
        out.writeInt(c.bestEpoch());
        out.writeDouble(c.bestValue());
        out.writeInt(c.badEpochs());
        out.writeInt(c.history().size());
        for (EpochMetrics m : c.history()) {
            out.writeInt(m.epoch());
            for (double v : new double[] {m.seconds(), m.ratingsPerSecond(), m.loss(), m.mae(), m.valLoss(),
                    m.valRmse(), m.valMae(), m.valRmseClipped()}) {
                out.writeDouble(v);
            }
        }
        EngineState s = c.state();
        writeParameters(out, s.parameters());
        out.writeInt(s.sparse().size());
        for (EngineState.TableState t : s.sparse()) {
            out.writeInt(t.slots().length);
            for (float[] slot : t.slots()) {
                writeFloats(out, slot);
            }
            writeInts(out, t.rowSteps());
            out.writeLong(t.steps());
        }
        writeFloats(out, s.denseState());
        out.writeLong(s.denseSteps());
        out.writeBoolean(c.bestParameters() != null);
        if (c.bestParameters() != null) {
            writeParameters(out, c.bestParameters());
        }
    }

    private static Checkpoint read(DataInputStream in, Path f) throws IOException {
        if (in.readLong() != MAGIC) {
            throw new IllegalArgumentException(f + " is not a ScatterLens checkpoint");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("checkpoint " + f + " has format version " + version
                    + "; this build reads version " + VERSION);
        }
        String fingerprint = in.readUTF();
        int epoch = in.readInt();
        int bestEpoch = in.readInt();
        double bestValue = in.readDouble();
        int badEpochs = in.readInt();
        int n = in.readInt();
        List<EpochMetrics> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int e = in.readInt();
            double[] v = new double[8];
            for (int k = 0; k < v.length; k++) {
                v[k] = in.readDouble();
            }
            history.add(new EpochMetrics(e, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
        }
        ModelParameters parameters = readParameters(in);
        int tables = in.readInt();
        List<EngineState.TableState> sparse = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            float[][] slots = new float[in.readInt()][];
            for (int k = 0; k < slots.length; k++) {
                slots[k] = readFloats(in);
            }
            sparse.add(new EngineState.TableState(slots, readInts(in), in.readLong()));
        }
        float[] dense = readFloats(in);
        long denseSteps = in.readLong();
        ModelParameters best = in.readBoolean() ? readParameters(in) : null;
        return new Checkpoint(fingerprint, epoch, new EngineState(parameters, sparse, dense, denseSteps), history,
                bestEpoch, bestValue, badEpochs, best);
    }

    private static void writeParameters(DataOutputStream out, ModelParameters p) throws IOException {
        writeFloats(out, p.userTable());
        writeFloats(out, p.itemTable());
        writeFloats(out, p.userBias());
        writeFloats(out, p.itemBias());
        out.writeInt(p.layers().size());
        for (DenseLayer l : p.layers()) {
            out.writeInt(l.in());
            out.writeInt(l.out());
            out.writeUTF(l.activation().name());
            writeFloats(out, l.weights());
            writeFloats(out, l.bias());
        }
    }

    private static ModelParameters readParameters(DataInputStream in) throws IOException {
        float[] users = readFloats(in);
        float[] items = readFloats(in);
        float[] userBias = readFloats(in);
        float[] itemBias = readFloats(in);
        int n = in.readInt();
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int inWidth = in.readInt();
            int outWidth = in.readInt();
            ModelConfig.Activation act = ModelConfig.Activation.valueOf(in.readUTF());
            layers.add(new DenseLayer(inWidth, outWidth, readFloats(in), readFloats(in), act));
        }
        return new ModelParameters(users, items, userBias, itemBias, layers);
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
        buf.asFloatBuffer().put(values);
        writeArray(out, values.length, buf);
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
        buf.asIntBuffer().put(values);
        writeArray(out, values.length, buf);
    }

    /** An array of 4-byte values: its length, then its bytes. */
    private static void writeArray(DataOutputStream out, int length, ByteBuffer bytes) throws IOException {
        out.writeInt(length);
        out.write(bytes.array());
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        ByteBuffer bytes = readArray(in);
        float[] out = new float[bytes.capacity() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        ByteBuffer bytes = readArray(in);
        int[] out = new int[bytes.capacity() / 4];
        bytes.asIntBuffer().get(out);
        return out;
    }

    /** What {@link #writeArray} wrote; a negative or truncated length is a damaged file. */
    private static ByteBuffer readArray(DataInputStream in) throws IOException {
        int n = in.readInt();
        // A damaged length must not turn into a multi-gigabyte allocation before the CRC is checked.
        if (n < 0 || (long) n * 4 > in.available()) {
            throw new EOFException("array of " + n + " values runs past the end of the file");
        }
        byte[] bytes = in.readNBytes(Math.multiplyExact(n, 4));
        if (bytes.length != n * 4) {
            throw new EOFException();
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    }
}
