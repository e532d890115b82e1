package org.scatterlens.kernels;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * {@link TowerKernels} on the CPU build (native/cpu/tower_cpu.cpp), through
 * {@link CpuKernelsLib}. Threads: the CPU kernels' ({@link SparseKernels#setThreads}).
 */
public final class NativeTower implements TowerKernels {
    private static final int SL_OK = 0;
    private static final int SL_EINVAL = 1;

    private final SparseKernels kernels;

    /** @param kernels the loaded CPU tier: its library holds the tower verbs */
    public NativeTower(SparseKernels kernels) {
        if (kernels.tier() != Tier.CPU) {
            throw new IllegalArgumentException("the native tower is in the cpu build only, not " + kernels.tier().id()
                    + " (the GPU fused engine belongs to the CUDA issue)");
        }
        this.kernels = kernels;
    }

    @Override
    public Tier tier() {
        return Tier.CPU;
    }

    private static int activation(TowerShape shape) {
        return switch (shape.activation()) {
            case LINEAR -> 0;
            case RELU -> 1;
            case TANH -> 2;
            case SIGMOID -> 3;
        };
    }

    private static int optimizer(SparseOptimizer.Kind kind) {
        return switch (kind) {
            case SGD -> 0;
            case ADAGRAD -> 1;
            case ADAM -> 2;
        };
    }

    private static FloatPointer floats(NativeBuffer b) {
        return b == null ? null : b.floats();
    }

    /** The library's count, for tests that hold it to {@link TowerShape#parameterCount}. */
    public long parameterCount(TowerShape shape) {
        long[] out = new long[1];
        check(CpuKernelsLib.sl_tower_size(shape.layers(), shape.widths(), out));
        return out[0];
    }

    @Override
    public void train(TowerShape shape, NativeBuffer params, SparseOptimizer.Kind optimizer, float learningRate,
                      float beta1, float beta2, float epsilon, NativeBuffer optState, long step,
                      NativeBuffer x, NativeBuffer biasPair, NativeBuffer targets, int n,
                      NativeBuffer dx, NativeBuffer dy, double[] sums) {
        TowerKernels.checkTrain(shape, params, optimizer, optState, step, x, biasPair, targets, n, dx, dy, sums);
        check(CpuKernelsLib.sl_tower_train(shape.layers(), shape.widths(), activation(shape), floats(params),
                optimizer(optimizer), floats(optState), learningRate, beta1, beta2, epsilon, step,
                floats(x), floats(biasPair), floats(targets), n, floats(dx), floats(dy), sums));
    }

    @Override
    public void predict(TowerShape shape, NativeBuffer params, NativeBuffer x, NativeBuffer biasPair, int n,
                        NativeBuffer y) {
        TowerKernels.checkPredict(shape, params, x, biasPair, n, y);
        check(CpuKernelsLib.sl_tower_predict(shape.layers(), shape.widths(), activation(shape), floats(params),
                floats(x), floats(biasPair), n, floats(y)));
    }

    private void check(int rc) {
        if (rc == SL_OK) {
            return;
        }
        BytePointer message = CpuKernelsLib.sl_last_error();
        String text = message == null ? "" : message.getString();
        if (rc == SL_EINVAL) {
            throw new IllegalArgumentException(text);
        }
        throw new KernelException(kernels.tier().id() + " tower: " + text + " (code " + rc + ")");
    }
}
