package org.scatterlens.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.scatterlens.testing.Close;
import org.scatterlens.testing.RandomIds;
import org.scatterlens.testing.RandomIds.Shape;

/**
 * Every native tier against the plain-Java reference on seeded random inputs:
 * uniform and Zipf-skewed ids, all-duplicate batches, an empty batch, one row,
 * widths 1, 8, 13 and 64, gradients read from the middle of wider rows.
 */
class KernelParityTest {
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-5;
    private static final int TABLE_ROWS = 1000;
    private static final int STEPS = 3;

    /** CPU must load wherever the build ran; Thrust-OpenMP where Thrust was found; CUDA where a GPU is. */
    static SparseKernels kernels(Tier tier) {
        Kernels.Availability a = Kernels.probe(tier);
        switch (tier) {
            case CPU, JAVA -> assertTrue(a.usable(), tier.id() + " kernels must load: " + a.reason());
            case THRUST_OMP -> assumeTrue(a.usable(), "thrust-omp: " + a.reason());
            case CUDA -> assumeTrue(a.usable(), "cuda: " + a.reason());
        }
        return Kernels.load(tier);
    }

    static final Tier[] NATIVE = {Tier.CPU, Tier.THRUST_OMP, Tier.CUDA};

    record Optimizer(String name, SparseOptimizer config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Optimizer> optimizers() {
        return List.of(
                new Optimizer("sgd", SparseOptimizer.sgd(0.1f)),
                new Optimizer("sgd+l2", SparseOptimizer.sgd(0.1f).withL2(0.01f)),
                new Optimizer("adagrad+l2", SparseOptimizer.adagrad(0.05f).withL2(0.001f)),
                new Optimizer("adam", SparseOptimizer.adam(0.01f)),
                new Optimizer("adam-global+l2", SparseOptimizer.adam(0.01f).withAdamSteps(AdamSteps.GLOBAL).withL2(0.001f)));
    }

    static Stream<Arguments> updateCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Tier tier : NATIVE) {
            for (Optimizer optimizer : optimizers()) {
                for (int dim : new int[] {1, 8, 13, 64}) {
                    for (Shape shape : Shape.values()) {
                        for (int batch : new int[] {0, 1, 777, 5000}) {
                            if (batch <= 1 && shape != Shape.UNIFORM) {
                                continue;  // an empty or single-id batch has one shape
                            }
                            cases.add(Arguments.of(tier, optimizer, dim, shape, batch));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    /** Table, optimizer state and step counts of one tier after the same updates. */
    record Result(float[] weights, float[][] state, int[] rowSteps) {}

    static Result runUpdates(SparseKernels k, SparseOptimizer optimizer, int dim, Shape shape, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int gradOffset = 2;
        int gradStride = dim + 5;  // gradients sit in the middle of wider rows, as in the engine's (B, du+di) buffer
        try (SparseTable table = new SparseTable(k, TABLE_ROWS, dim, optimizer);
             NativeBuffer rows = k.allocate(Math.max(batch, 1) * 4L);
             NativeBuffer grads = k.allocate((gradOffset + (long) Math.max(batch, 1) * gradStride) * 4L)) {
            table.load(RandomIds.uniform(TABLE_ROWS * dim, 0.05f, random));
            for (int step = 0; step < STEPS; step++) {
                rows.write(0, RandomIds.draw(shape, batch, TABLE_ROWS, random), 0, batch);
                float[] g = RandomIds.uniform(gradOffset + batch * gradStride, 1f, random);
                grads.write(0, g, 0, g.length);
                table.update(rows, batch, grads, gradOffset, gradStride);
            }
            return new Result(table.readWeights(), table.readState(), table.readRowSteps());
        }
    }

    @ParameterizedTest(name = "{0} {1} dim={2} {3} batch={4}")
    @MethodSource("updateCases")
    void sparseUpdateMatchesJavaReference(Tier tier, Optimizer optimizer, int dim, Shape shape, int batch) {
        SparseKernels k = kernels(tier);
        long seed = 1000L * dim + 31L * batch + shape.ordinal();
        Result expected = runUpdates(Kernels.java(), optimizer.config(), dim, shape, batch, seed);
        Result actual = runUpdates(k, optimizer.config(), dim, shape, batch, seed);
        String what = tier.id() + " " + optimizer + " dim=" + dim + " " + shape + " batch=" + batch;
        Close.assertClose(what + " weights", expected.weights(), actual.weights(), ATOL, RTOL);
        for (int s = 0; s < expected.state().length; s++) {
            Close.assertClose(what + " state slot " + s, expected.state()[s], actual.state()[s], ATOL, RTOL);
        }
        Close.assertSame(what + " rowSteps", expected.rowSteps(), actual.rowSteps());
    }

    static Stream<Arguments> gatherCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Tier tier : NATIVE) {
            for (int[] dims : new int[][] {{1, 1}, {8, 8}, {13, 8}, {64, 13}}) {
                for (Shape shape : Shape.values()) {
                    for (int batch : new int[] {0, 1, 777, 5000}) {
                        cases.add(Arguments.of(tier, dims[0], dims[1], shape, batch));
                    }
                }
            }
        }
        return cases.stream();
    }

    static float[] runGather(SparseKernels k, int du, int di, Shape shape, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int nUsers = 1000;
        int nItems = 700;
        try (NativeBuffer users = k.allocate((long) nUsers * du * 4);
             NativeBuffer items = k.allocate((long) nItems * di * 4);
             NativeBuffer userRows = k.allocate(Math.max(batch, 1) * 4L);
             NativeBuffer itemRows = k.allocate(Math.max(batch, 1) * 4L);
             NativeBuffer out = k.allocate(Math.max(batch, 1) * (long) (du + di) * 4)) {
            users.write(RandomIds.uniform(nUsers * du, 1f, random));
            items.write(RandomIds.uniform(nItems * di, 1f, random));
            userRows.write(0, RandomIds.draw(shape, batch, nUsers, random), 0, batch);
            itemRows.write(0, RandomIds.draw(shape, batch, nItems, random), 0, batch);
            k.gather(users, nUsers, du, items, nItems, di, userRows, itemRows, batch, out);
            k.synchronize();
            float[] result = new float[batch * (du + di)];
            out.read(0, result, 0, result.length);
            return result;
        }
    }

    @ParameterizedTest(name = "{0} du={1} di={2} {3} batch={4}")
    @MethodSource("gatherCases")
    void gatherMatchesJavaReference(Tier tier, int du, int di, Shape shape, int batch) {
        SparseKernels k = kernels(tier);
        long seed = 77L * du + di + 13L * batch + shape.ordinal();
        float[] expected = runGather(Kernels.java(), du, di, shape, batch, seed);
        float[] actual = runGather(k, du, di, shape, batch, seed);
        // A gather copies: exact.
        Close.assertClose(tier.id() + " gather du=" + du + " di=" + di + " " + shape + " batch=" + batch, expected, actual, 0, 0);
    }

    /** Big enough that the CPU build splits segments across threads. */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"CPU", "THRUST_OMP"})
    void bitIdenticalWhateverTheThreadCount(Tier tier) {
        SparseKernels k = kernels(tier);
        int previous = k.threads();
        try {
            k.setThreads(1);
            Result one = runUpdates(k, SparseOptimizer.adam(0.01f).withL2(0.001f), 64, Shape.ZIPF, 65536, 5);
            k.setThreads(2);
            Result two = runUpdates(k, SparseOptimizer.adam(0.01f).withL2(0.001f), 64, Shape.ZIPF, 65536, 5);
            Result again = runUpdates(k, SparseOptimizer.adam(0.01f).withL2(0.001f), 64, Shape.ZIPF, 65536, 5);
            assertArrayEquals(bits(one.weights()), bits(two.weights()), "1 vs 2 threads");
            assertArrayEquals(bits(two.weights()), bits(again.weights()), "run to run");
            assertArrayEquals(bits(one.state()[1]), bits(two.state()[1]), "Adam v, 1 vs 2 threads");
        } finally {
            k.setThreads(previous);
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void buildInfoNamesItsOwnTier(Tier tier) {
        SparseKernels k = kernels(tier);
        // Also proves each JNI library called its own kernels, not a twin's with the same symbol names.
        assertTrue(k.buildInfo().startsWith("tier=" + tier.id() + ";"), k.buildInfo());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void outOfRangeIdsAreNamed(Tier tier) {
        SparseKernels k = kernels(tier);
        try (SparseTable table = new SparseTable(k, 10, 4, SparseOptimizer.adam(0.01f));
             NativeBuffer rows = k.allocate(4 * 4);
             NativeBuffer grads = k.allocate(4 * 4 * 4)) {
            rows.write(new int[] {1, 2, 3, 10});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> table.update(rows, 4, grads, 0, 4));
            assertTrue(e.getMessage().contains("sl_adam_update") && e.getMessage().contains("rows[3] = 10")
                    && e.getMessage().contains("[0, 10)"), e.getMessage());
            rows.write(new int[] {-1, 2, 3, 4});
            e = assertThrows(IllegalArgumentException.class, () -> table.update(rows, 4, grads, 0, 4));
            assertTrue(e.getMessage().contains("rows[0] = -1"), e.getMessage());
            assertArrayEquals(new float[40], table.readWeights(), "a rejected update writes nothing");

            rows.write(new int[] {0, 1, 2, 3});
            NativeBuffer out = k.allocate(4 * 8 * 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> k.gather(table.weights(), 10, 4, table.weights(), 3, 4, rows, rows, 4, out));
            assertTrue(e.getMessage().contains("itemRows[3] = 3") && e.getMessage().contains("[0, 3)"), e.getMessage());
            out.close();
        }
    }

    @Test
    void badArgumentsAreNamedBeforeAnyNativeCall() {
        SparseKernels k = kernels(Tier.CPU);
        try (NativeBuffer table = k.allocate(10 * 4 * 4);
             NativeBuffer rows = k.allocate(4 * 4);
             NativeBuffer grads = k.allocate(4 * 4 * 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> k.sgdUpdate(table, 10, 4, rows, 4, grads, 0, 4, Float.NaN, 0f));
            assertEquals("sl_sgd_update: lr = NaN must be finite and >= 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> k.sgdUpdate(table, 11, 4, rows, 4, grads, 0, 4, 0.1f, 0f));
            assertEquals("sl_sgd_update: table holds 40 elements, needs 44", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> k.sgdUpdate(table, 10, 4, rows, 4, grads, 1, 4, 0.1f, 0f));
            assertEquals("sl_sgd_update: grads holds 16 elements, needs 17", e.getMessage());
            try (NativeBuffer javaRows = Kernels.java().allocate(16)) {
                e = assertThrows(IllegalArgumentException.class,
                        () -> k.sgdUpdate(table, 10, 4, javaRows, 4, grads, 0, 4, 0.1f, 0f));
                assertEquals("sl_sgd_update: rows is java memory, not cpu", e.getMessage());
            }
        }
    }

    @Test
    void cudaIsUnavailableWithAReasonWhereThereIsNoGpu() {
        Kernels.Availability cuda = Kernels.probe(Tier.CUDA);
        if (!cuda.usable()) {
            assertTrue(!cuda.reason().isEmpty(), "an unusable tier says why");
            KernelException e = assertThrows(KernelException.class, () -> Kernels.load(Tier.CUDA));
            assertTrue(e.getMessage().startsWith("cuda kernels are not available: "), e.getMessage());
        }
    }
}
