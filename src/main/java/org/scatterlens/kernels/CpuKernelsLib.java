package org.scatterlens.kernels;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.ByPtrPtr;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of native/scatterlens.h as built by native/cpu/kernels_cpu.cpp.
 * Mirrors the header one to one, same verbs, same arguments, same order; its
 * twins {@link ThrustOmpKernelsLib} and {@link CudaKernelsLib} bind the other builds. Used only through {@link NativeKernels}.
 *
 * <p>Also binds native/tower.h (native/cpu/tower_cpu.cpp), the fused engine's dense half, which only the
 * CPU build has; used only through {@link NativeTower}.
 */
@Platform(include = {"scatterlens.h", "tower.h"})
public final class CpuKernelsLib {
    static {
        Loader.load();
    }

    private CpuKernelsLib() {}

    public static native @Cast("const char*") BytePointer sl_last_error();

    public static native @Cast("const char*") BytePointer sl_build_info();

    public static native int sl_set_threads(int n);

    public static native int sl_get_threads(IntPointer n);

    public static native int sl_device_count(IntPointer count);

    public static native int sl_device_describe(int device, @Cast("char*") BytePointer out, long outBytes);

    public static native int sl_set_device(int device, Pointer stream);

    public static native int sl_alloc(long bytes, @Cast("void**") @ByPtrPtr Pointer out);

    public static native int sl_free(Pointer ptr);

    public static native int sl_copy_to_device(Pointer dst, @Const Pointer hostSrc, long bytes);

    public static native int sl_copy_to_host(Pointer hostDst, @Const Pointer src, long bytes);

    public static native int sl_copy_device(Pointer dst, @Const Pointer src, long bytes);

    public static native int sl_zero(Pointer dst, long bytes);

    public static native int sl_synchronize();

    public static native int sl_gather(@Const FloatPointer userTable, long nUsers, int du,
                                       @Const FloatPointer itemTable, long nItems, int di,
                                       @Const IntPointer userRows, @Const IntPointer itemRows, long batch,
                                       FloatPointer out);

    public static native int sl_sgd_update(FloatPointer table, long nRows, int dim,
                                           @Const IntPointer rows, long batch,
                                           @Const FloatPointer grads, long gradStride,
                                           float lr, float l2);

    public static native int sl_adagrad_update(FloatPointer table, FloatPointer accum, long nRows, int dim,
                                               @Const IntPointer rows, long batch,
                                               @Const FloatPointer grads, long gradStride,
                                               float lr, float l2, float eps);

    public static native int sl_adam_update(FloatPointer table, FloatPointer m, FloatPointer v, IntPointer rowSteps,
                                            long nRows, int dim,
                                            @Const IntPointer rows, long batch,
                                            @Const FloatPointer grads, long gradStride,
                                            float lr, float l2, float beta1, float beta2, float eps,
                                            int stepMode, long globalStep);

    // ---- tower.h (CPU build only) ----

    public static native int sl_tower_size(int nLayers, @Const int[] widths, @Cast("int64_t*") long[] params);

    public static native int sl_tower_train(int nLayers, @Const int[] widths, int activation, FloatPointer params,
                                            int optimizer, FloatPointer optState, float lr, float beta1, float beta2,
                                            float eps, long step,
                                            @Const FloatPointer x, @Const FloatPointer biasPair,
                                            @Const FloatPointer targets, long n,
                                            FloatPointer dx, FloatPointer dy, double[] sums);

    public static native int sl_tower_predict(int nLayers, @Const int[] widths, int activation,
                                              @Const FloatPointer params, @Const FloatPointer x,
                                              @Const FloatPointer biasPair, long n, FloatPointer y);
}
