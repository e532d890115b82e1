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
import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.NativeTower;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.Tier;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;
import org.scatterlens.model.Tower;
import org.scatterlens.train.Batch;
import org.scatterlens.train.DenseOptimizer;
import org.scatterlens.train.Engine;
import org.scatterlens.train.ErrorStats;
import org.scatterlens.train.FusedEngine;
import org.scatterlens.train.Nd4jEngine;

/**
 * One training step on ML-20M-sized tables, three ways to run the dense half:
 * the ND4J engine with the tower as raw ND4J ops or as a DL4J
 * MultiLayerNetwork, and the fused engine (one native call, no ND4J). Engine
 * threads: 2 is the ND4J engine's helper for the sparse updates, or the fused
 * engine's pipelined user update; ND4J's own threads (OpenMP and BLAS), which
 * the product keeps at 1 (the fused engine ignores them). Batches per second;
 * times the batch for ratings per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineStepBenchmark {
    static final int USERS = 138_493;
    static final int MOVIES = 26_744;
    static final int BATCHES = 32;

    /** ops or dl4j: the ND4J engine's tower; fused: the fused engine. */
    @Param({"ops", "dl4j", "fused"})
    public String tower;

    @Param({"5000", "65536"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    @Param({"1"})
    public int nd4jThreads;

    private Engine engine;
    private Batch[] batches;
    private ErrorStats stats;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SparseKernels k = Kernels.load(Tier.CPU);
        ModelConfig config = ModelConfig.tutorial();
        ModelParameters init = ModelParameters.initialize(config, USERS, MOVIES, 1);
        DenseOptimizer dense = DenseOptimizer.of(SparseOptimizer.Kind.ADAM, 0.005f);
        if (tower.equals("fused")) {
            k.setThreads(1);  // as TrainingSession runs it
            engine = new FusedEngine(config, init, USERS, MOVIES, batch, k, new NativeTower(k), dense,
                    SparseOptimizer.adam(0.005f), threads);
        } else {
            k.setThreads(nd4jThreads);
            Nd4jEngine.setThreads(nd4jThreads);
            engine = new Nd4jEngine(config, init, USERS, MOVIES, batch, k, dense, SparseOptimizer.adam(0.005f),
                    Tower.Kind.valueOf(tower.toUpperCase()), threads);
        }
        SplittableRandom random = new SplittableRandom(2);
        batches = new Batch[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            int[] u = Ids.uniform(batch, USERS, random);
            int[] m = Ids.zipf(batch, MOVIES, random);
            float[] t = new float[batch];
            for (int i = 0; i < batch; i++) {
                t[i] = (float) (random.nextGaussian() * 1.05);
            }
            batches[b] = new Batch(batch);
            batches[b].set(u, m, t, batch);
        }
        stats = new ErrorStats();
    }

    @Benchmark
    public double step() {
        Batch b = batches[next];
        next = (next + 1) % BATCHES;
        engine.train(b, stats);
        return stats.mse();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }
}
