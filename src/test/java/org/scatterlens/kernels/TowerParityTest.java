package org.scatterlens.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scatterlens.model.ModelConfig.Activation;

/**
 * The native tower (native/cpu/tower_cpu.cpp) against the plain-Java
 * {@link JavaTower} on seeded random inputs: the tutorial's layers and others
 * (no hidden layer, odd widths, every activation, the dot product), every dense
 * optimizer, with and without the bias pair, batches of 0, 1, 17, 777 and 5000
 * rows (the last split across two threads), three steps each.
 */
class TowerParityTest {
    private static final double ATOL = 2e-6;
    private static final double RTOL = 1e-4;
    private static final int STEPS = 3;

    static SparseKernels cpu() {
        Kernels.Availability a = Kernels.probe(Tier.CPU);
        assertTrue(a.usable(), "cpu kernels must load: " + a.reason());
        return Kernels.load(Tier.CPU);
    }

    static List<TowerShape> shapes() {
        return List.of(
                new TowerShape(new int[] {16, 32, 4, 1}, Activation.RELU),
                new TowerShape(new int[] {16, 1}, Activation.RELU),
                new TowerShape(new int[] {13, 9, 5, 3, 1}, Activation.TANH),
                new TowerShape(new int[] {6, 20, 1}, Activation.SIGMOID),
                new TowerShape(new int[] {8, 64, 1}, Activation.LINEAR),
                new TowerShape(new int[] {16}, Activation.LINEAR));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TowerShape shape : shapes()) {
            for (SparseOptimizer.Kind kind : SparseOptimizer.Kind.values()) {
                for (int n : new int[] {0, 1, 17, 777, 5000}) {
                    for (boolean biases : new boolean[] {false, true}) {
                        if (n == 5000 && biases && kind != SparseOptimizer.Kind.ADAM) {
                            continue;  // the largest batch once per shape and optimizer is enough
                        }
                        out.add(Arguments.of(shape, kind, n, biases));
                    }
                }
            }
        }
        return out.stream();
    }

    /** Inputs and state for one run; both implementations get copies of the same values. */
    record Problem(float[] params, float[] state, float[] x, float[] pair, float[] targets) {
        static Problem random(TowerShape shape, SparseOptimizer.Kind kind, int n, boolean biases, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int p = shape.parameterCount();
            float[] params = new float[p];
            for (int k = 0; k < p; k++) {
                params[k] = (float) (r.nextDouble(-0.5, 0.5));
            }
            float[] state = new float[TowerKernels.stateSize(kind, p)];
            for (int k = 0; k < state.length; k++) {
                // Adam's v and AdaGrad's h must be >= 0; m may be any sign.
                state[k] = kind == SparseOptimizer.Kind.ADAM && k < p ? (float) r.nextDouble(-0.01, 0.01)
                        : (float) r.nextDouble(0, 0.01);
            }
            float[] x = new float[n * shape.inputWidth()];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) r.nextDouble(-1, 1);
            }
            float[] pair = biases ? new float[2 * n] : null;
            if (pair != null) {
                for (int k = 0; k < pair.length; k++) {
                    pair[k] = (float) r.nextDouble(-0.3, 0.3);
                }
            }
            float[] targets = new float[n];
            for (int k = 0; k < n; k++) {
                targets[k] = (float) r.nextDouble(-2, 2);
            }
            return new Problem(params, state, x, pair, targets);
        }
    }

    /** Results of STEPS training calls on one implementation, then a prediction. */
    record Run(float[] params, float[] state, float[] dx, float[] dy, double[] sums, float[] predictions) {}

    static Run run(TowerKernels tower, SparseKernels memory, TowerShape shape, SparseOptimizer.Kind kind, int n,
                   Problem problem) {
        int p = shape.parameterCount();
        int width = shape.inputWidth();
        try (NativeBuffer params = buffer(memory, problem.params());
             NativeBuffer state = buffer(memory, problem.state());
             NativeBuffer x = buffer(memory, problem.x());
             NativeBuffer pair = problem.pair() == null ? null : buffer(memory, problem.pair());
             NativeBuffer targets = buffer(memory, problem.targets());
             NativeBuffer dx = memory.allocate(Math.max(1, n * width) * 4L);
             NativeBuffer dy = memory.allocate(Math.max(1, n) * 4L);
             NativeBuffer y = memory.allocate(Math.max(1, n) * 4L)) {
            double[] sums = new double[2];
            for (int step = 1; step <= STEPS; step++) {
                tower.train(shape, params, kind, 0.01f, 0.9f, 0.999f, kind == SparseOptimizer.Kind.ADAM ? 1e-8f : 1e-6f,
                        state, step, x, pair, targets, n, dx, dy, sums);
            }
            tower.predict(shape, params, x, pair, n, y);
            return new Run(read(params, p), read(state, problem.state().length), read(dx, n * width), read(dy, n),
                    sums.clone(), read(y, n));
        }
    }

    static NativeBuffer buffer(SparseKernels memory, float[] values) {
        NativeBuffer b = memory.allocate(Math.max(1, values.length) * 4L);
        b.write(0, values, 0, values.length);
        return b;
    }

    static float[] read(NativeBuffer b, int n) {
        float[] out = new float[n];
        b.read(0, out, 0, n);
        return out;
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            double tol = ATOL + RTOL * Math.abs(expected[k]);
            assertTrue(Math.abs(expected[k] - actual[k]) <= tol,
                    what + "[" + k + "]: expected " + expected[k] + ", got " + actual[k]);
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2} biases={3}")
    @MethodSource("cases")
    void nativeMatchesReference(TowerShape shape, SparseOptimizer.Kind kind, int n, boolean biases) {
        SparseKernels cpu = cpu();
        int before = cpu.threads();
        cpu.setThreads(2);
        try {
            Problem problem = Problem.random(shape, kind, n, biases, 31L * n + kind.ordinal());
            Run expected = run(new JavaTower(), Kernels.java(), shape, kind, n, problem);
            Run actual = run(new NativeTower(cpu), cpu, shape, kind, n, problem);
            assertClose("params", expected.params(), actual.params());
            assertClose("optimizer state", expected.state(), actual.state());
            assertClose("dx", expected.dx(), actual.dx());
            assertClose("dy", expected.dy(), actual.dy());
            assertClose("predictions", expected.predictions(), actual.predictions());
            for (int k = 0; k < 2; k++) {
                assertEquals(expected.sums()[k], actual.sums()[k], 1e-5 * (1 + Math.abs(expected.sums()[k])), "sums[" + k + "]");
            }
            if (n == 0) {
                assertArrayEquals(problem.params(), actual.params(), "an empty batch changes nothing");
            }
        } finally {
            cpu.setThreads(before);
        }
    }

    @Test
    void sameThreadCountIsBitIdentical() {
        SparseKernels cpu = cpu();
        int before = cpu.threads();
        try {
            TowerShape shape = shapes().get(0);
            Problem problem = Problem.random(shape, SparseOptimizer.Kind.ADAM, 5000, true, 7);
            for (int threads : new int[] {1, 2}) {
                cpu.setThreads(threads);
                Run a = run(new NativeTower(cpu), cpu, shape, SparseOptimizer.Kind.ADAM, 5000, problem);
                Run b = run(new NativeTower(cpu), cpu, shape, SparseOptimizer.Kind.ADAM, 5000, problem);
                assertArrayEquals(a.params(), b.params(), "threads " + threads);
                assertArrayEquals(a.dx(), b.dx(), "threads " + threads);
                assertArrayEquals(a.sums(), b.sums(), "threads " + threads);
            }
        } finally {
            cpu.setThreads(before);
        }
    }

    @Test
    void libraryCountsParametersAsJava() {
        NativeTower tower = new NativeTower(cpu());
        for (TowerShape shape : shapes()) {
            assertEquals(shape.parameterCount(), tower.parameterCount(shape), shape.toString());
        }
    }

    @Test
    void nativeErrorsNameTheVerbAndValue() {
        cpu();
        int rc = CpuKernelsLib.sl_tower_train(2, new int[] {4, 3, 2}, 1, null, 2, null, 0.1f, 0.9f, 0.999f, 1e-8f, 1,
                null, null, null, 0, null, null, new double[2]);
        assertEquals(1, rc);
        String message = CpuKernelsLib.sl_last_error().getString();
        assertTrue(message.contains("sl_tower_train") && message.contains("widths[2] = 2"), message);
        rc = CpuKernelsLib.sl_tower_predict(1, new int[] {4, 1}, 9, null, null, null, 0, null);
        assertEquals(1, rc);
        message = CpuKernelsLib.sl_last_error().getString();
        assertTrue(message.contains("sl_tower_predict") && message.contains("activation = 9"), message);
    }

    @Test
    void javaChecksBufferSizes() {
        SparseKernels cpu = cpu();
        TowerShape shape = shapes().get(0);
        try (NativeBuffer small = cpu.allocate(16); NativeBuffer params = cpu.allocate(shape.parameterCount() * 4L)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NativeTower(cpu)
                    .predict(shape, params, small, null, 10, small));
            assertTrue(e.getMessage().contains("x holds 4 floats, needs 160"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new TowerShape(new int[] {4, 3, 2}, Activation.RELU));
        assertThrows(IllegalArgumentException.class, () -> new NativeTower(Kernels.java()));
    }
}
