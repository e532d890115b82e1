package org.scatterlens.kernels;

/**
 * Which step count t enters Adam's bias correction sqrt(1 - b2^t) / (1 - b1^t)
 * for a touched row. See docs/kernels.md.
 */
public enum AdamSteps {
    /**
     * t = the number of times this row has been updated. A row first touched
     * late in training starts with the same effective step as any other row
     * (tiny-cuda-nn's choice). The default.
     */
    PER_ROW(0),
    /** t = optimizer steps so far, touched or not: PyTorch's SparseAdam. */
    GLOBAL(1);

    /** The SL_ADAM_STEP_* constant of scatterlens.h. */
    final int code;

    AdamSteps(int code) {
        this.code = code;
    }
}
