package org.scatterlens.kernels;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The plain-Java reference of every kernel verb: the oracle the native builds
 * are tested against, and the backend of last resort. Written for obviousness,
 * not speed; kept forever.
 *
 * <p>Sparse updates here: sort the batch positions by (row, position), walk
 * the runs of equal rows, sum each run's gradient rows in batch order, and step
 * the row once. The per-element math repeats native/optimizers.h in the same
 * order of operations.
 */
public final class JavaKernels implements SparseKernels {

    @Override
    public Tier tier() {
        return Tier.JAVA;
    }

    @Override
    public String buildInfo() {
        return "tier=java; jvm=" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("setThreads: n = " + n + " must be >= 1");
        }
    }

    @Override
    public NativeBuffer allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("allocate: bytes = " + bytes + " is negative");
        }
        BytePointer memory = new BytePointer(Math.max(bytes, 1));
        Pointer.memset(memory, 0, Math.max(bytes, 1));
        return new NativeBuffer(this, NativeBuffer.addressOf(memory), bytes, memory);
    }

    @Override
    public void free(Pointer allocation) {
        allocation.close();
    }

    @Override
    public void copyIn(Pointer dst, Pointer hostSrc, long bytes) {
        Pointer.memcpy(dst, hostSrc, bytes);
    }

    @Override
    public void copyOut(Pointer hostDst, Pointer src, long bytes) {
        Pointer.memcpy(hostDst, src, bytes);
    }

    @Override
    public void synchronize() {
        // Host work is done when a verb returns.
    }

    private static void checkIds(String verb, String what, ByteBuffer ids, int n, long nRows) {
        for (int i = 0; i < n; i++) {
            int id = ids.getInt(i * 4);
            if (id < 0 || id >= nRows) {
                throw new IllegalArgumentException(verb + ": " + what + "[" + i + "] = " + id
                        + " is outside [0, " + nRows + ")");
            }
        }
    }

    @Override
    public void gather(NativeBuffer userTable, long nUsers, int du, NativeBuffer itemTable, long nItems, int di,
                       NativeBuffer userRows, NativeBuffer itemRows, int batch, NativeBuffer out) {
        String verb = "sl_gather";
        KernelArgs.gather(verb, userTable, nUsers, du, itemTable, nItems, di, userRows, itemRows, batch, out, Tier.JAVA);
        if (batch == 0) {
            return;
        }
        ByteBuffer users = userRows.hostBytes();
        ByteBuffer items = itemRows.hostBytes();
        checkIds(verb, "userRows", users, batch, nUsers);
        checkIds(verb, "itemRows", items, batch, nItems);
        ByteBuffer ut = userTable.hostBytes();
        ByteBuffer it = itemTable.hostBytes();
        ByteBuffer o = out.hostBytes();
        int width = du + di;
        for (int b = 0; b < batch; b++) {
            long u = users.getInt(b * 4);
            long i = items.getInt(b * 4);
            for (int d = 0; d < du; d++) {
                o.putFloat((int) (((long) b * width + d) * 4), ut.getFloat((int) ((u * du + d) * 4)));
            }
            for (int d = 0; d < di; d++) {
                o.putFloat((int) (((long) b * width + du + d) * 4), it.getFloat((int) ((i * di + d) * 4)));
            }
        }
    }

    /** Called once per touched row with the row id and its summed gradient. */
    private interface RowStep {
        void step(int row, float[] gradient);
    }

    /** Sort positions by (row, position), sum each row's run in batch order, step each row once. */
    private static void forEachTouchedRow(String verb, NativeBuffer rowsBuffer, int batch, long nRows, int dim,
                                          NativeBuffer gradsBuffer, long gradOffset, long gradStride, RowStep step) {
        if (batch == 0) {
            return;
        }
        ByteBuffer rows = rowsBuffer.hostBytes();
        checkIds(verb, "rows", rows, batch, nRows);
        ByteBuffer grads = gradsBuffer.hostBytes();
        long[] keys = new long[batch];
        for (int b = 0; b < batch; b++) {
            keys[b] = ((long) rows.getInt(b * 4) << 32) | b;
        }
        Arrays.sort(keys);
        float[] acc = new float[dim];
        int start = 0;
        while (start < batch) {
            int row = (int) (keys[start] >>> 32);
            int end = start;
            Arrays.fill(acc, 0f);
            while (end < batch && (int) (keys[end] >>> 32) == row) {
                long position = keys[end] & 0xffffffffL;
                long base = gradOffset + position * gradStride;
                for (int d = 0; d < dim; d++) {
                    acc[d] += grads.getFloat((int) ((base + d) * 4));
                }
                end++;
            }
            step.step(row, acc);
            start = end;
        }
    }

    static float l2Grad(float g, float w, float l2) {
        return g + 2.0f * l2 * w;
    }

    @Override
    public void sgdUpdate(NativeBuffer table, long nRows, int dim, NativeBuffer rows, int batch,
                          NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2) {
        String verb = "sl_sgd_update";
        KernelArgs.update(verb, table, Tier.JAVA, nRows, dim, rows, batch, grads, gradOffset, gradStride, lr, l2);
        ByteBuffer w = table.hostBytes();
        forEachTouchedRow(verb, rows, batch, nRows, dim, grads, gradOffset, gradStride, (row, g) -> {
            for (int d = 0; d < dim; d++) {
                int at = (int) (((long) row * dim + d) * 4);
                float wd = w.getFloat(at);
                float gt = l2Grad(g[d], wd, l2);
                w.putFloat(at, wd - lr * gt);
            }
        });
    }

    @Override
    public void adagradUpdate(NativeBuffer table, NativeBuffer accum, long nRows, int dim, NativeBuffer rows, int batch,
                              NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2, float eps) {
        String verb = "sl_adagrad_update";
        KernelArgs.update(verb, table, Tier.JAVA, nRows, dim, rows, batch, grads, gradOffset, gradStride, lr, l2);
        KernelArgs.buffer(verb, "accum", accum, Tier.JAVA, nRows * dim);
        KernelArgs.positive(verb, "eps", eps);
        ByteBuffer w = table.hostBytes();
        ByteBuffer a = batch == 0 ? null : accum.hostBytes();
        forEachTouchedRow(verb, rows, batch, nRows, dim, grads, gradOffset, gradStride, (row, g) -> {
            for (int d = 0; d < dim; d++) {
                int at = (int) (((long) row * dim + d) * 4);
                float wd = w.getFloat(at);
                float gt = l2Grad(g[d], wd, l2);
                float sum = a.getFloat(at) + gt * gt;
                a.putFloat(at, sum);
                w.putFloat(at, wd - lr * gt / ((float) Math.sqrt(sum) + eps));
            }
        });
    }

    /** sqrt(1 - beta2^t) / (1 - beta1^t), as sl_adam_correction in native/optimizers.h. */
    public static float adamCorrection(float beta1, float beta2, long t) {
        double bc1 = -Math.expm1((double) t * Math.log(beta1));
        double bc2 = -Math.expm1((double) t * Math.log(beta2));
        return (float) (Math.sqrt(bc2) / bc1);
    }

    @Override
    public void adamUpdate(NativeBuffer table, NativeBuffer m, NativeBuffer v, NativeBuffer rowSteps, long nRows, int dim,
                           NativeBuffer rows, int batch, NativeBuffer grads, long gradOffset, long gradStride,
                           float lr, float l2, float beta1, float beta2, float eps, AdamSteps steps, long globalStep) {
        String verb = "sl_adam_update";
        KernelArgs.update(verb, table, Tier.JAVA, nRows, dim, rows, batch, grads, gradOffset, gradStride, lr, l2);
        KernelArgs.adam(verb, m, v, rowSteps, Tier.JAVA, nRows, dim, beta1, beta2, eps, steps, globalStep);
        if (batch == 0) {
            return;
        }
        ByteBuffer w = table.hostBytes();
        ByteBuffer mb = m.hostBytes();
        ByteBuffer vb = v.hostBytes();
        ByteBuffer tb = rowSteps.hostBytes();
        forEachTouchedRow(verb, rows, batch, nRows, dim, grads, gradOffset, gradStride, (row, g) -> {
            int t = tb.getInt(row * 4) + 1;
            tb.putInt(row * 4, t);
            float stepSize = lr * adamCorrection(beta1, beta2, steps == AdamSteps.GLOBAL ? globalStep : t);
            for (int d = 0; d < dim; d++) {
                int at = (int) (((long) row * dim + d) * 4);
                float wd = w.getFloat(at);
                float gt = l2Grad(g[d], wd, l2);
                float mt = beta1 * mb.getFloat(at) + (1.0f - beta1) * gt;
                float vt = beta2 * vb.getFloat(at) + (1.0f - beta2) * gt * gt;
                mb.putFloat(at, mt);
                vb.putFloat(at, vt);
                w.putFloat(at, wd - stepSize * mt / ((float) Math.sqrt(vt) + eps));
            }
        });
    }

    @Override
    public String toString() {
        return "JavaKernels";
    }
}
