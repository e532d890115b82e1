package org.scatterlens.kernels;

/** A kernel failed for a reason other than a bad argument: no memory, no device, a CUDA error. */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
