package org.scatterlens.kernels;

/** The implementations of the kernel verbs, from the oracle to the GPU. */
public enum Tier {
    /** {@link JavaKernels}: plain Java, the test oracle and the last-resort backend. */
    JAVA("java"),
    /** native/cpu: C++17 + OpenMP. */
    CPU("cpu"),
    /** native/thrust on Thrust's OpenMP backend: the CUDA tier's logic, runnable without a GPU. */
    THRUST_OMP("thrust-omp"),
    /** native/cuda: the GPU. */
    CUDA("cuda");

    private final String id;

    Tier(String id) {
        this.id = id;
    }

    /** The name used in flags, logs and {@code sl_build_info()}. */
    public String id() {
        return id;
    }

    /** Whether its memory is host memory that Java may read and write directly. */
    public boolean hostMemory() {
        return this != CUDA;
    }
}
