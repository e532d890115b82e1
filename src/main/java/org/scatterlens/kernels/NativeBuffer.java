package org.scatterlens.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A block of kernel memory: host memory for the Java and CPU tiers, device
 * memory for CUDA. Handed to the kernels by address, never copied.
 *
 * <p>Order of use: {@link SparseKernels#allocate} (zeroed, owned: {@link #close}
 * frees it) or {@link #wrap} (borrowed, e.g. an ND4J buffer: close does nothing);
 * {@link #write}/{@link #read} to move Java arrays in and out; pass to the verbs.
 * Not thread-safe; a buffer belongs to the tier that made it.
 */
public final class NativeBuffer implements AutoCloseable {
    private final SparseKernels owner;
    private final long bytes;
    /** What {@link SparseKernels#free} releases; null for a borrowed view. */
    private final Pointer allocation;
    private long address;
    private boolean closed;

    NativeBuffer(SparseKernels owner, long address, long bytes, Pointer allocation) {
        this.owner = Objects.requireNonNull(owner, "owner");
        if (address == 0 && bytes > 0) {
            throw new IllegalArgumentException("null address for a buffer of " + bytes + " bytes");
        }
        this.address = address;
        this.bytes = bytes;
        this.allocation = allocation;
    }

    /** A JavaCPP pointer at an absolute address, position 0, so typed views never rescale an offset. */
    private static final class RawPointer extends Pointer {
        RawPointer(long address) {
            this.address = address;
        }
    }

    /** The absolute address a JavaCPP pointer designates (its address plus its position). */
    static long addressOf(Pointer p) {
        return p.address() + p.position() * p.sizeof();
    }

    /**
     * Borrows memory someone else owns (an ND4J array's buffer, say) as a buffer
     * of {@code owner}'s tier. The memory must outlive every use of the view.
     */
    public static NativeBuffer wrap(SparseKernels owner, Pointer memory, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes = " + bytes + " is negative");
        }
        return new NativeBuffer(owner, addressOf(memory), bytes, null);
    }

    /** A borrowed view of {@code length} bytes starting {@code offset} bytes in. */
    public NativeBuffer slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > bytes) {
            throw new IllegalArgumentException("slice [" + offset + ", " + (offset + length) + ") is outside [0, " + bytes + ")");
        }
        return new NativeBuffer(owner, address() + offset, length, null);
    }

    public long bytes() {
        return bytes;
    }

    /** Capacity in 4-byte elements (floats or ints). */
    public long elements() {
        return bytes / 4;
    }

    public Tier tier() {
        return owner.tier();
    }

    public boolean isClosed() {
        return closed;
    }

    /** The absolute address; for handing to another library (ND4J) or logging. */
    public long address() {
        if (isClosed()) {
            throw new IllegalStateException("buffer of " + bytes + " bytes on " + owner.tier().id() + " is closed");
        }
        return address;
    }

    Pointer pointer() {
        return new RawPointer(address());
    }

    FloatPointer floats() {
        return new FloatPointer(pointer());
    }

    IntPointer ints() {
        return new IntPointer(pointer());
    }

    /** Host memory as a native-order ByteBuffer (host tiers only); for the Java reference. */
    ByteBuffer hostBytes() {
        if (!owner.tier().hostMemory()) {
            throw new IllegalStateException(owner.tier().id() + " memory is not host memory");
        }
        return new BytePointer(pointer()).capacity(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    private void checkRange(long elementOffset, int length, String what) {
        if (elementOffset < 0 || length < 0 || (elementOffset + length) * 4 > bytes) {
            throw new IllegalArgumentException(what + " of " + length + " elements at " + elementOffset
                    + " does not fit in a buffer of " + elements() + " elements");
        }
    }

    /** Copies {@code src[from, from+length)} to elements {@code [at, at+length)}. */
    public void write(long at, float[] src, int from, int length) {
        checkRange(at, length, "write");
        if (length == 0) {
            return;
        }
        if (owner.tier().hostMemory()) {
            floats().position(at).put(src, from, length);
            return;
        }
        try (FloatPointer host = new FloatPointer(length)) {
            host.put(src, from, length);
            owner.copyIn(new RawPointer(address() + at * 4), host, length * 4L);
        }
    }

    public void write(long at, int[] src, int from, int length) {
        checkRange(at, length, "write");
        if (length == 0) {
            return;
        }
        if (owner.tier().hostMemory()) {
            ints().position(at).put(src, from, length);
            return;
        }
        try (IntPointer host = new IntPointer(length)) {
            host.put(src, from, length);
            owner.copyIn(new RawPointer(address() + at * 4), host, length * 4L);
        }
    }

    public void write(float[] src) {
        write(0, src, 0, src.length);
    }

    public void write(int[] src) {
        write(0, src, 0, src.length);
    }

    /** Copies elements {@code [at, at+length)} to {@code dst[into, into+length)}. */
    public void read(long at, float[] dst, int into, int length) {
        checkRange(at, length, "read");
        if (length == 0) {
            return;
        }
        if (owner.tier().hostMemory()) {
            floats().position(at).get(dst, into, length);
            return;
        }
        try (FloatPointer host = new FloatPointer(length)) {
            owner.copyOut(host, new RawPointer(address() + at * 4), length * 4L);
            host.get(dst, into, length);
        }
    }

    public void read(long at, int[] dst, int into, int length) {
        checkRange(at, length, "read");
        if (length == 0) {
            return;
        }
        if (owner.tier().hostMemory()) {
            ints().position(at).get(dst, into, length);
            return;
        }
        try (IntPointer host = new IntPointer(length)) {
            owner.copyOut(host, new RawPointer(address() + at * 4), length * 4L);
            host.get(dst, into, length);
        }
    }

    public float[] readFloats() {
        float[] out = new float[Math.toIntExact(elements())];
        read(0, out, 0, out.length);
        return out;
    }

    public int[] readInts() {
        int[] out = new int[Math.toIntExact(elements())];
        read(0, out, 0, out.length);
        return out;
    }

    /** Frees owned memory; a borrowed view just stops being usable. Idempotent. */
    @Override
    public void close() {
        if (!closed && allocation != null) {
            owner.free(allocation);
        }
        closed = true;
        address = 0;
    }

    @Override
    public String toString() {
        return "NativeBuffer[" + owner.tier().id() + ", " + bytes + " bytes" + (allocation != null ? "" : ", borrowed") + "]";
    }
}
