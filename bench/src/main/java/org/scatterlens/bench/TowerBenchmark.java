package org.scatterlens.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scatterlens.kernels.JavaTower;
import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.NativeTower;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.Tier;
import org.scatterlens.kernels.TowerKernels;
import org.scatterlens.kernels.TowerShape;
import org.scatterlens.model.ModelConfig;

/**
 * The fused engine's dense half alone (native/tower.h, {@code sl_tower_train}):
 * the tutorial's tower (16 -> 32 relu -> 4 relu -> 1), forward, MSE loss,
 * backward and one Adam step, on B random rows. The cpu tier is the native
 * kernel (its OpenMP threads as given), java the plain-Java reference. Calls
 * per second; bench/run's report gives rows/s and GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TowerBenchmark {
    /** Multiply-adds per row of one training call: forward, dL/dX and dW each take sum(in * out). */
    static final int MACS_PER_ROW = 3 * (16 * 32 + 32 * 4 + 4);

    @Param({"cpu", "java"})
    public String tier;

    @Param({"5000", "65536"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private final TowerShape shape = TowerShape.of(ModelConfig.tutorial());
    private TowerKernels tower;
    private NativeBuffer params;
    private NativeBuffer state;
    private NativeBuffer x;
    private NativeBuffer targets;
    private NativeBuffer dx;
    private NativeBuffer dy;
    private final double[] sums = new double[2];
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        SparseKernels k = tier.equals("cpu") ? Kernels.load(Tier.CPU) : Kernels.java();
        if (tier.equals("cpu")) {
            k.setThreads(threads);
            tower = new NativeTower(k);
        } else {
            if (threads != 1) {
                throw new IllegalStateException("not run: the java reference is single-threaded");
            }
            tower = new JavaTower();
        }
        SplittableRandom random = new SplittableRandom(4);
        int p = shape.parameterCount();
        params = filled(k, p, random, 0.3);
        state = k.allocate(2L * p * 4);
        x = filled(k, batch * shape.inputWidth(), random, 0.05);
        targets = filled(k, batch, random, 1.0);
        dx = k.allocate((long) batch * shape.inputWidth() * 4);
        dy = k.allocate(batch * 4L);
    }

    private static NativeBuffer filled(SparseKernels k, int n, SplittableRandom random, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-scale, scale);
        }
        NativeBuffer b = k.allocate(n * 4L);
        b.write(0, v, 0, n);
        return b;
    }

    @Benchmark
    public double train() {
        tower.train(shape, params, SparseOptimizer.Kind.ADAM, 0.001f, 0.9f, 0.999f, 1e-8f, state, ++step, x, null,
                targets, batch, dx, dy, sums);
        return sums[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (NativeBuffer b : new NativeBuffer[] {params, state, x, targets, dx, dy}) {
            b.close();
        }
    }
}
