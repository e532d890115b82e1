package org.scatterlens.kernels;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * {@link SparseKernels} over one native build, through its JavaCPP binding
 * class ({@link CpuKernelsLib}, {@link ThrustOmpKernelsLib} or
 * {@link CudaKernelsLib}). The three bindings declare identical static verbs;
 * this class finds them by name, so one adapter serves all builds and the
 * bindings stay pure mirrors of the header.
 *
 * <p>Return codes become exceptions: SL_EINVAL an {@link IllegalArgumentException},
 * anything else a {@link KernelException}, both with the library's message
 * (which names the verb and the value).
 */
final class NativeKernels implements SparseKernels {
    private static final int SL_OK = 0;
    private static final int SL_EINVAL = 1;

    private final Tier tier;
    private final String libraryPath;
    private final MethodHandle lastError;
    private final MethodHandle buildInfo;
    private final MethodHandle setThreads;
    private final MethodHandle getThreads;
    private final MethodHandle deviceCount;
    private final MethodHandle deviceDescribe;
    private final MethodHandle alloc;
    private final MethodHandle free;
    private final MethodHandle copyToDevice;
    private final MethodHandle copyToHost;
    private final MethodHandle zero;
    private final MethodHandle synchronize;
    private final MethodHandle gather;
    private final MethodHandle sgdUpdate;
    private final MethodHandle adagradUpdate;
    private final MethodHandle adamUpdate;

    /**
     * Loads {@code binding}'s library (JavaCPP unpacks it from the jar) and binds its verbs.
     *
     * @throws LinkageError when the library is missing or cannot be loaded
     */
    NativeKernels(Tier tier, Class<?> binding) {
        this.tier = tier;
        this.libraryPath = Loader.load(binding);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            lastError = lookup.findStatic(binding, "sl_last_error", methodType(BytePointer.class));
            buildInfo = lookup.findStatic(binding, "sl_build_info", methodType(BytePointer.class));
            setThreads = lookup.findStatic(binding, "sl_set_threads", methodType(int.class, int.class));
            getThreads = lookup.findStatic(binding, "sl_get_threads", methodType(int.class, IntPointer.class));
            deviceCount = lookup.findStatic(binding, "sl_device_count", methodType(int.class, IntPointer.class));
            deviceDescribe = lookup.findStatic(binding, "sl_device_describe",
                    methodType(int.class, int.class, BytePointer.class, long.class));
            alloc = lookup.findStatic(binding, "sl_alloc", methodType(int.class, long.class, Pointer.class));
            free = lookup.findStatic(binding, "sl_free", methodType(int.class, Pointer.class));
            copyToDevice = lookup.findStatic(binding, "sl_copy_to_device",
                    methodType(int.class, Pointer.class, Pointer.class, long.class));
            copyToHost = lookup.findStatic(binding, "sl_copy_to_host",
                    methodType(int.class, Pointer.class, Pointer.class, long.class));
            zero = lookup.findStatic(binding, "sl_zero", methodType(int.class, Pointer.class, long.class));
            synchronize = lookup.findStatic(binding, "sl_synchronize", methodType(int.class));
            gather = lookup.findStatic(binding, "sl_gather", methodType(int.class,
                    FloatPointer.class, long.class, int.class, FloatPointer.class, long.class, int.class,
                    IntPointer.class, IntPointer.class, long.class, FloatPointer.class));
            sgdUpdate = lookup.findStatic(binding, "sl_sgd_update", methodType(int.class,
                    FloatPointer.class, long.class, int.class, IntPointer.class, long.class,
                    FloatPointer.class, long.class, float.class, float.class));
            adagradUpdate = lookup.findStatic(binding, "sl_adagrad_update", methodType(int.class,
                    FloatPointer.class, FloatPointer.class, long.class, int.class, IntPointer.class, long.class,
                    FloatPointer.class, long.class, float.class, float.class, float.class));
            adamUpdate = lookup.findStatic(binding, "sl_adam_update", methodType(int.class,
                    FloatPointer.class, FloatPointer.class, FloatPointer.class, IntPointer.class, long.class, int.class,
                    IntPointer.class, long.class, FloatPointer.class, long.class,
                    float.class, float.class, float.class, float.class, float.class, int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(binding.getName() + " does not mirror scatterlens.h: " + e.getMessage(), e);
        }
    }

    /** Where JavaCPP loaded the library from. */
    String libraryPath() {
        return libraryPath;
    }

    @Override
    public Tier tier() {
        return tier;
    }

    private String lastError() {
        try {
            BytePointer message = (BytePointer) lastError.invokeExact();
            return message == null ? "" : message.getString();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void check(int rc) {
        if (rc == SL_OK) {
            return;
        }
        String message = lastError();
        if (rc == SL_EINVAL) {
            throw new IllegalArgumentException(message);
        }
        throw new KernelException(tier.id() + " kernels: " + message + " (code " + rc + ")");
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new KernelException(t.toString(), t);
    }

    @Override
    public String buildInfo() {
        try {
            BytePointer info = (BytePointer) buildInfo.invokeExact();
            return info.getString();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int threads() {
        try (IntPointer n = new IntPointer(1)) {
            check((int) getThreads.invokeExact(n));
            return n.get();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void setThreads(int n) {
        try {
            check((int) setThreads.invokeExact(n));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Devices this build can use; for CUDA 0 with {@link #deviceCountReason()} when there is none. */
    int deviceCount() {
        try (IntPointer n = new IntPointer(1)) {
            check((int) deviceCount.invokeExact(n));
            return n.get();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Why {@link #deviceCount()} returned 0 (the library's message), or "". */
    String deviceCountReason() {
        return lastError();
    }

    /** "name=..;cc=..;memory=..;driver=.." for device {@code device}. */
    String describeDevice(int device) {
        try (BytePointer out = new BytePointer(512)) {
            check((int) deviceDescribe.invokeExact(device, out, 512L));
            return out.getString();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public NativeBuffer allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("allocate: bytes = " + bytes + " is negative");
        }
        Pointer out = new Pointer();
        try {
            check((int) alloc.invokeExact(bytes, out));
            check((int) zero.invokeExact(out, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return new NativeBuffer(this, NativeBuffer.addressOf(out), bytes, out);
    }

    @Override
    public void free(Pointer allocation) {
        try {
            check((int) free.invokeExact(allocation));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void copyIn(Pointer dst, Pointer hostSrc, long bytes) {
        try {
            check((int) copyToDevice.invokeExact(dst, hostSrc, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void copyOut(Pointer hostDst, Pointer src, long bytes) {
        try {
            check((int) copyToHost.invokeExact(hostDst, src, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void synchronize() {
        try {
            check((int) synchronize.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static FloatPointer floatsAt(NativeBuffer buffer, long elementOffset) {
        return buffer == null ? null : buffer.floats().position(elementOffset);
    }

    private static FloatPointer floats(NativeBuffer buffer) {
        return buffer == null ? null : buffer.floats();
    }

    private static IntPointer ints(NativeBuffer buffer) {
        return buffer == null ? null : buffer.ints();
    }

    @Override
    public void gather(NativeBuffer userTable, long nUsers, int du, NativeBuffer itemTable, long nItems, int di,
                       NativeBuffer userRows, NativeBuffer itemRows, int batch, NativeBuffer out) {
        KernelArgs.gather("sl_gather", userTable, nUsers, du, itemTable, nItems, di, userRows, itemRows, batch, out, tier);
        try {
            check((int) gather.invokeExact(floats(userTable), nUsers, du, floats(itemTable), nItems, di,
                    ints(userRows), ints(itemRows), (long) batch, floats(out)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void sgdUpdate(NativeBuffer table, long nRows, int dim, NativeBuffer rows, int batch,
                          NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2) {
        KernelArgs.update("sl_sgd_update", table, tier, nRows, dim, rows, batch, grads, gradOffset, gradStride, lr, l2);
        try {
            check((int) sgdUpdate.invokeExact(floats(table), nRows, dim, ints(rows), (long) batch,
                    floatsAt(grads, gradOffset), gradStride, lr, l2));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void adagradUpdate(NativeBuffer table, NativeBuffer accum, long nRows, int dim, NativeBuffer rows, int batch,
                              NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2, float eps) {
        String verb = "sl_adagrad_update";
        KernelArgs.update(verb, table, tier, nRows, dim, rows, batch, grads, gradOffset, gradStride, lr, l2);
        KernelArgs.buffer(verb, "accum", accum, tier, nRows * dim);
        KernelArgs.positive(verb, "eps", eps);
        try {
            check((int) adagradUpdate.invokeExact(floats(table), floats(accum), nRows, dim, ints(rows), (long) batch,
                    floatsAt(grads, gradOffset), gradStride, lr, l2, eps));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void adamUpdate(NativeBuffer table, NativeBuffer m, NativeBuffer v, NativeBuffer rowSteps, long nRows, int dim,
                           NativeBuffer rows, int batch, NativeBuffer grads, long gradOffset, long gradStride,
                           float lr, float l2, float beta1, float beta2, float eps, AdamSteps steps, long globalStep) {
        String verb = "sl_adam_update";
        KernelArgs.update(verb, table, tier, nRows, dim, rows, batch, grads, gradOffset, gradStride, lr, l2);
        KernelArgs.adam(verb, m, v, rowSteps, tier, nRows, dim, beta1, beta2, eps, steps, globalStep);
        try {
            check((int) adamUpdate.invokeExact(floats(table), floats(m), floats(v), ints(rowSteps), nRows, dim,
                    ints(rows), (long) batch, floatsAt(grads, gradOffset), gradStride,
                    lr, l2, beta1, beta2, eps, steps.code, globalStep));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String toString() {
        return "NativeKernels[" + tier.id() + ", " + libraryPath + "]";
    }
}
