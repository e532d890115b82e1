package org.scatterlens.kernels;

import org.bytedeco.javacpp.Pointer;

/**
 * The kernel verbs of native/scatterlens.h on one tier. Same verbs, same
 * arguments as the header; see it for the exact semantics of each.
 *
 * <p>Order of use: get an instance from {@link Kernels}; {@link #allocate}
 * tables, optimizer state and batch buffers once; per batch {@link #gather},
 * then one update verb per table; {@link #synchronize} before reading results
 * on the host (CUDA). Arguments are checked on every call: a bad size, length or
 * id throws {@link IllegalArgumentException} naming the verb and the value; other
 * native failures throw {@link KernelException}.
 *
 * <p>Shapes: tables are (nRows, dim) row-major floats; {@code rows} holds
 * {@code batch} int ids; gradient row b starts at float
 * {@code gradOffset + b * gradStride} of {@code grads}.
 */
public interface SparseKernels {

    Tier tier();

    /** One line: tier, compiler, flags, vector ISA. */
    String buildInfo();

    /** Threads the kernels use (CPU tiers); 1 elsewhere. */
    int threads();

    void setThreads(int n);

    /** Zero-filled memory of this tier. */
    NativeBuffer allocate(long bytes);

    /** Waits until queued work is done (CUDA); returns at once on the host tiers. */
    void synchronize();

    /** out (batch, du + di) = userTable[userRows] | itemTable[itemRows]. */
    void gather(NativeBuffer userTable, long nUsers, int du, NativeBuffer itemTable, long nItems, int di,
                NativeBuffer userRows, NativeBuffer itemRows, int batch, NativeBuffer out);

    /** Sparse SGD on the rows of {@code rows}: w -= lr * (g + 2 l2 w). */
    void sgdUpdate(NativeBuffer table, long nRows, int dim, NativeBuffer rows, int batch,
                   NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2);

    /** Sparse Adagrad: accum += g^2; w -= lr g / (sqrt(accum) + eps). */
    void adagradUpdate(NativeBuffer table, NativeBuffer accum, long nRows, int dim, NativeBuffer rows, int batch,
                       NativeBuffer grads, long gradOffset, long gradStride, float lr, float l2, float eps);

    /** Lazy Adam on touched rows; {@code rowSteps} (nRows ints) counts each row's updates. */
    void adamUpdate(NativeBuffer table, NativeBuffer m, NativeBuffer v, NativeBuffer rowSteps, long nRows, int dim,
                    NativeBuffer rows, int batch, NativeBuffer grads, long gradOffset, long gradStride,
                    float lr, float l2, float beta1, float beta2, float eps, AdamSteps steps, long globalStep);

    /** Copies host memory into this tier's memory. */
    void copyIn(Pointer dst, Pointer hostSrc, long bytes);

    /** Copies this tier's memory to host memory. */
    void copyOut(Pointer hostDst, Pointer src, long bytes);

    /** Releases what {@link #allocate} returned (called by {@link NativeBuffer#close}). */
    void free(Pointer allocation);
}
