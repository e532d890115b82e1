package org.scatterlens.bench;

import java.util.List;
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
import org.scatterlens.data.LoadedData;
import org.scatterlens.data.Split;
import org.scatterlens.kernels.Device;
import org.scatterlens.model.Tower;
import org.scatterlens.train.TrainConfig;
import org.scatterlens.train.TrainingSession;

/**
 * One training epoch of the tutorial model on the full 20M-rating twin (90%
 * of it: 18M ratings), exactly as {@code scatterlens train --engine E --threads T}
 * runs it: shuffle, then every batch through gather, forward, backward, sparse
 * and dense updates. Seconds per epoch; ratings per second = train ratings /
 * score (bench/run's report prints both).
 *
 * <p>Each device runs in its own fork. On a machine where a device cannot
 * train, its setup fails with the reason and the report says "not run".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TrainEpochBenchmark {

    @Param({"cpu", "cuda"})
    public String device;

    /** fused: the whole step native (the default); nd4j: dense layers in ND4J. */
    @Param({"fused", "nd4j"})
    public String engine;

    @Param({"5000", "65536"})
    public int batch;

    @Param({"ops"})
    public String tower;

    /** 1: the step on one thread; 2: the engine's helper thread (fused: pipelined user update, the default here). */
    @Param({"1", "2"})
    public int threads;

    private TrainingSession session;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() {
        Device.Choice choice = Device.select(device);
        if (choice.device() != Device.CPU) {
            throw new IllegalStateException("not run: " + device + ": this build trains on the CPU only");
        }
        LoadedData data = BenchData.twin();
        Split split = BenchData.split(data);
        TrainConfig config = TrainConfig.defaults().withBatchSize(batch).withThreads(threads)
                .withEngine(TrainConfig.EngineKind.valueOf(engine.toUpperCase()))
                .withTower(Tower.Kind.valueOf(tower.toUpperCase()));
        session = new TrainingSession(config, data.ratings(), split);
    }

    @Benchmark
    public double epoch() {
        return session.trainEpoch(++epoch, List.of()).mse();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }
}
