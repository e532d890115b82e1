package org.scatterlens.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.NativeTower;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.Tier;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;
import org.scatterlens.model.Tower;
import org.scatterlens.testing.Close;

/**
 * The ND4J engine and the fused engine (native kernels) and the plain-Java
 * reference trainer, from the same initial weights and batches, agree on the
 * loss of every one of 20 steps, for each optimizer and model shape.
 */
class EngineParityTest {
    private static final int USERS = 300;
    private static final int ITEMS = 120;
    private static final int BATCH = 256;
    private static final int STEPS = 20;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (SparseOptimizer.Kind kind : SparseOptimizer.Kind.values()) {
            float lr = kind == SparseOptimizer.Kind.SGD ? 0.5f : 0.005f;
            out.add(Arguments.of("tutorial", ModelConfig.tutorial(), kind, lr, Tower.Kind.OPS));
            out.add(Arguments.of("tutorial", ModelConfig.tutorial(), kind, lr, Tower.Kind.DL4J));
        }
        out.add(Arguments.of("tower+biases+l2 tanh", ModelConfig.tutorial().withBiases(true, true)
                .withActivation(ModelConfig.Activation.TANH).withL2(1e-3f, 1e-3f).withDims(5, 7), SparseOptimizer.Kind.ADAM, 0.01f, Tower.Kind.OPS));
        out.add(Arguments.of("tower+biases+l2 tanh, dl4j", ModelConfig.tutorial().withBiases(true, true)
                .withActivation(ModelConfig.Activation.TANH).withL2(1e-3f, 1e-3f).withDims(5, 7), SparseOptimizer.Kind.ADAM, 0.01f, Tower.Kind.DL4J));
        out.add(Arguments.of("tower no hidden", ModelConfig.tutorial().withHidden(List.of()), SparseOptimizer.Kind.ADAM, 0.01f, Tower.Kind.OPS));
        out.add(Arguments.of("mf", ModelConfig.matrixFactorization(8), SparseOptimizer.Kind.ADAM, 0.01f, Tower.Kind.OPS));
        out.add(Arguments.of("mf user bias only, sgd", ModelConfig.matrixFactorization(4).withBiases(true, false),
                SparseOptimizer.Kind.SGD, 0.5f, Tower.Kind.OPS));
        return out.stream();
    }

    static double[] run(Engine engine, long seed, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        Batch batch = new Batch(BATCH);
        double[] losses = new double[steps];
        int[] users = new int[BATCH];
        int[] items = new int[BATCH];
        float[] targets = new float[BATCH];
        for (int s = 0; s < steps; s++) {
            int n = s == steps - 1 ? BATCH / 3 : BATCH;  // the last batch of an epoch is usually short
            for (int k = 0; k < n; k++) {
                users[k] = random.nextInt(USERS);
                items[k] = random.nextInt(Math.min(ITEMS, 1 + random.nextInt(ITEMS)));  // popular items repeat
                targets[k] = (float) ((users[k] % 5) * 0.3 - (items[k] % 3) * 0.4 + random.nextGaussian() * 0.3);
            }
            batch.set(users, items, targets, n);
            ErrorStats stats = new ErrorStats();
            engine.train(batch, stats);
            losses[s] = stats.mse();
        }
        return losses;
    }

    @ParameterizedTest(name = "{0} {2} {4}")
    @MethodSource("cases")
    void nd4jEngineMatchesReferenceForTwentySteps(String name, ModelConfig config, SparseOptimizer.Kind kind, float lr,
                                                  Tower.Kind tower) {
        ModelParameters init = ModelParameters.initialize(config, USERS, ITEMS, 7);
        DenseOptimizer dense = DenseOptimizer.of(kind, lr);
        SparseOptimizer sparse = SparseOptimizer.of(kind, lr);
        double[] expected;
        ModelParameters expectedParams;
        try (Engine reference = new ReferenceEngine(config, init, USERS, ITEMS, BATCH, Kernels.java(), dense, sparse)) {
            expected = run(reference, 11, STEPS);
            expectedParams = reference.parameters();
        }
        double[] actual;
        ModelParameters actualParams;
        try (Engine nd4j = new Nd4jEngine(config, init, USERS, ITEMS, BATCH, Kernels.load(Tier.CPU), dense, sparse, tower, 2)) {
            actual = run(nd4j, 11, STEPS);
            actualParams = nd4j.parameters();
        }
        for (int s = 0; s < STEPS; s++) {
            double rel = Math.abs(actual[s] - expected[s]) / Math.abs(expected[s]);
            assertTrue(rel <= 1e-4, name + " " + kind + " step " + s + ": nd4j loss " + actual[s]
                    + ", reference " + expected[s] + " (relative " + rel + ")");
        }
        assertTrue(expected[STEPS - 2] < expected[0], name + ": the loss should fall over 20 steps: " + expected[0]
                + " -> " + expected[STEPS - 2]);
        Close.assertClose(name + " user table", expectedParams.userTable(), actualParams.userTable(), 1e-4, 1e-3);
        Close.assertClose(name + " item table", expectedParams.itemTable(), actualParams.itemTable(), 1e-4, 1e-3);
    }

    static Stream<Arguments> fusedCases() {
        return cases().filter(a -> a.get()[4] == Tower.Kind.OPS);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("fusedCases")
    void fusedEngineMatchesReferenceForTwentySteps(String name, ModelConfig config, SparseOptimizer.Kind kind, float lr,
                                                   Tower.Kind unused) {
        ModelParameters init = ModelParameters.initialize(config, USERS, ITEMS, 7);
        DenseOptimizer dense = DenseOptimizer.of(kind, lr);
        SparseOptimizer sparse = SparseOptimizer.of(kind, lr);
        double[] expected;
        ModelParameters expectedParams;
        float[] expectedPredictions = new float[BATCH];
        try (Engine reference = new ReferenceEngine(config, init, USERS, ITEMS, BATCH, Kernels.java(), dense, sparse)) {
            expected = run(reference, 11, STEPS);
            expectedParams = reference.parameters();
            reference.predict(lastBatch(), expectedPredictions);
        }
        double[] actual;
        ModelParameters actualParams;
        float[] actualPredictions = new float[BATCH];
        SparseKernels cpu = Kernels.load(Tier.CPU);
        try (Engine fused = new FusedEngine(config, init, USERS, ITEMS, BATCH, cpu, new NativeTower(cpu), dense, sparse)) {
            actual = run(fused, 11, STEPS);
            actualParams = fused.parameters();
            fused.predict(lastBatch(), actualPredictions);
        }
        for (int s = 0; s < STEPS; s++) {
            double rel = Math.abs(actual[s] - expected[s]) / Math.abs(expected[s]);
            assertTrue(rel <= 1e-4, name + " " + kind + " step " + s + ": fused loss " + actual[s]
                    + ", reference " + expected[s] + " (relative " + rel + ")");
        }
        Close.assertClose(name + " user table", expectedParams.userTable(), actualParams.userTable(), 1e-4, 1e-3);
        Close.assertClose(name + " item table", expectedParams.itemTable(), actualParams.itemTable(), 1e-4, 1e-3);
        for (int l = 0; l < expectedParams.layers().size(); l++) {
            Close.assertClose(name + " layer " + l, expectedParams.layers().get(l).weights(),
                    actualParams.layers().get(l).weights(), 1e-4, 1e-3);
        }
        Close.assertClose(name + " predictions", expectedPredictions, actualPredictions, 1e-4, 1e-3);
    }

    static Stream<Arguments> pipelineCases() {
        List<Arguments> out = new ArrayList<>();
        for (SparseOptimizer.Kind kind : SparseOptimizer.Kind.values()) {
            out.add(Arguments.of(kind.id(), ModelConfig.tutorial().withBiases(true, true), SparseOptimizer.of(kind, 0.01f)));
        }
        out.add(Arguments.of("adam global steps + l2", ModelConfig.tutorial().withL2(1e-3f, 1e-3f),
                SparseOptimizer.adam(0.01f).withAdamSteps(org.scatterlens.kernels.AdamSteps.GLOBAL)));
        out.add(Arguments.of("mf", ModelConfig.matrixFactorization(8), SparseOptimizer.adam(0.01f)));
        return out.stream();
    }

    /**
     * The pipelined fused engine (user-table update of one batch beside the next batch's step) gives
     * exactly the sequential engine's losses and weights: 300 users in batches of 256, so consecutive
     * batches share most users, with a prediction and a checkpoint in the middle.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelineCases")
    void pipelinedFusedEngineIsBitIdenticalToSequential(String name, ModelConfig config, SparseOptimizer sparse) {
        ModelParameters init = ModelParameters.initialize(config, USERS, ITEMS, 9);
        DenseOptimizer dense = DenseOptimizer.of(SparseOptimizer.Kind.ADAM, 0.01f);
        SparseKernels cpu = Kernels.load(Tier.CPU);
        double[][] losses = new double[2][];
        float[][] predictions = new float[2][BATCH];
        EngineState[] states = new EngineState[2];
        ModelParameters[] finals = new ModelParameters[2];
        for (int threads = 1; threads <= 2; threads++) {
            try (Engine e = new FusedEngine(config, init, USERS, ITEMS, BATCH, cpu, new NativeTower(cpu), dense, sparse,
                    threads)) {
                double[] first = run(e, 21, 10);
                e.predict(lastBatch(), predictions[threads - 1]);
                double[] second = run(e, 22, 5);
                states[threads - 1] = e.saveState();
                double[] third = run(e, 23, 5);
                losses[threads - 1] = Stream.of(first, second, third)
                        .flatMapToDouble(java.util.stream.DoubleStream::of).toArray();
                finals[threads - 1] = e.parameters();
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(losses[0], losses[1], name + ": losses");
        org.junit.jupiter.api.Assertions.assertArrayEquals(predictions[0], predictions[1], name + ": predictions");
        org.junit.jupiter.api.Assertions.assertArrayEquals(states[0].parameters().userTable(),
                states[1].parameters().userTable(), name + ": checkpointed user table");
        org.junit.jupiter.api.Assertions.assertArrayEquals(states[0].sparse().get(0).rowSteps(),
                states[1].sparse().get(0).rowSteps(), name + ": checkpointed user Adam steps");
        org.junit.jupiter.api.Assertions.assertArrayEquals(finals[0].userTable(), finals[1].userTable(), name + ": user table");
        org.junit.jupiter.api.Assertions.assertArrayEquals(finals[0].itemTable(), finals[1].itemTable(), name + ": item table");
    }

    /** A fixed batch with repeated users and movies, for predictions. */
    static Batch lastBatch() {
        Batch b = new Batch(BATCH);
        int[] users = new int[BATCH];
        int[] items = new int[BATCH];
        for (int k = 0; k < BATCH; k++) {
            users[k] = (k * 7) % USERS;
            items[k] = (k * k) % ITEMS;
        }
        b.set(users, items, new float[BATCH], BATCH);
        return b;
    }

    /** The fused engine keeps ND4J's flat layout: its checkpoints continue bit-identically in itself and in the reference. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(SparseOptimizer.Kind.class)
    void fusedEngineStateRoundTrips(SparseOptimizer.Kind kind) {
        ModelConfig config = ModelConfig.tutorial().withBiases(true, true);
        ModelParameters init = ModelParameters.initialize(config, USERS, ITEMS, 3);
        DenseOptimizer dense = DenseOptimizer.of(kind, 0.01f);
        SparseOptimizer sparse = SparseOptimizer.of(kind, 0.01f);
        SparseKernels cpu = Kernels.load(Tier.CPU);
        double[] straight;
        EngineState state;
        try (Engine a = new FusedEngine(config, init, USERS, ITEMS, BATCH, cpu, new NativeTower(cpu), dense, sparse)) {
            run(a, 5, 4);
            state = a.saveState();
            straight = run(a, 6, 4);
        }
        try (Engine b = new FusedEngine(config, init, USERS, ITEMS, BATCH, cpu, new NativeTower(cpu), dense, sparse)) {
            b.restoreState(state);
            double[] resumed = run(b, 6, 4);
            for (int s = 0; s < straight.length; s++) {
                assertTrue(straight[s] == resumed[s], kind + " step " + s + ": " + straight[s] + " vs " + resumed[s]);
            }
        }
        try (Engine c = new ReferenceEngine(config, init, USERS, ITEMS, BATCH, Kernels.java(), dense, sparse)) {
            c.restoreState(state);
            double[] resumed = run(c, 6, 4);
            for (int s = 0; s < straight.length; s++) {
                double rel = Math.abs(resumed[s] - straight[s]) / Math.abs(straight[s]);
                assertTrue(rel <= 1e-4, kind + " step " + s + ": reference from a fused checkpoint " + resumed[s]
                        + " vs " + straight[s]);
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(SparseOptimizer.Kind.class)
    void referenceEngineStateRoundTrips(SparseOptimizer.Kind kind) {
        ModelConfig config = ModelConfig.tutorial().withBiases(true, true);
        ModelParameters init = ModelParameters.initialize(config, USERS, ITEMS, 3);
        DenseOptimizer dense = DenseOptimizer.of(kind, 0.01f);
        SparseOptimizer sparse = SparseOptimizer.of(kind, 0.01f);
        double[] straight;
        EngineState state;
        try (Engine a = new ReferenceEngine(config, init, USERS, ITEMS, BATCH, Kernels.java(), dense, sparse)) {
            run(a, 5, 4);
            state = a.saveState();
            straight = run(a, 6, 4);
        }
        try (Engine b = new ReferenceEngine(config, init, USERS, ITEMS, BATCH, Kernels.java(), dense, sparse)) {
            b.restoreState(state);
            double[] resumed = run(b, 6, 4);
            for (int s = 0; s < straight.length; s++) {
                assertTrue(straight[s] == resumed[s], kind + " step " + s + ": " + straight[s] + " vs " + resumed[s]);
            }
        }
    }
}
