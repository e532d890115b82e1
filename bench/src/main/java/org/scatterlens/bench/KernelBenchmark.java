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
import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.SparseTable;
import org.scatterlens.kernels.Tier;

/**
 * One kernel verb on ML-20M-sized tables (138,493 users x 8, 26,744 movies x 8):
 * the gather of (user, movie) rows into a (B, 16) buffer, and each sparse
 * update of the user table. The score is batches per second; bench/run's
 * report multiplies by the batch for rows per second and by the bytes each
 * row moves for GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class KernelBenchmark {
    static final int USERS = 138_493;
    static final int MOVIES = 26_744;
    static final int DIM = 8;
    static final int BATCHES = 16;

    @Param({"cpu", "cuda"})
    public String tier;

    @Param({"gather", "sgd", "adagrad", "adam"})
    public String kernel;

    @Param({"uniform", "zipf"})
    public String ids;

    @Param({"5000", "65536"})
    public int batch;

    @Param({"0"})
    public int threads;

    private SparseKernels k;
    private SparseTable users;
    private NativeBuffer movies;
    private NativeBuffer[] userRows;
    private NativeBuffer[] movieRows;
    private NativeBuffer grads;
    private NativeBuffer out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        k = Kernels.load(Tier.valueOf(tier.toUpperCase().replace('-', '_')));
        if (threads > 0) {
            k.setThreads(threads);
        }
        SplittableRandom random = new SplittableRandom(1);
        SparseOptimizer optimizer = switch (kernel) {
            case "gather", "sgd" -> SparseOptimizer.sgd(0.01f);
            case "adagrad" -> SparseOptimizer.adagrad(0.01f);
            case "adam" -> SparseOptimizer.adam(0.01f);
            default -> throw new IllegalArgumentException("kernel: " + kernel);
        };
        users = new SparseTable(k, USERS, DIM, optimizer);
        float[] init = new float[USERS * DIM];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) (random.nextDouble() * 0.1 - 0.05);
        }
        users.load(init);
        movies = k.allocate((long) MOVIES * DIM * 4);
        userRows = new NativeBuffer[BATCHES];
        movieRows = new NativeBuffer[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            userRows[b] = k.allocate(batch * 4L);
            userRows[b].write(Ids.of(ids, batch, USERS, random));
            movieRows[b] = k.allocate(batch * 4L);
            movieRows[b].write(Ids.of(ids, batch, MOVIES, random));
        }
        grads = k.allocate((long) batch * 2 * DIM * 4);
        float[] g = new float[batch * 2 * DIM];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (random.nextGaussian() * 1e-3);
        }
        grads.write(g);
        out = k.allocate((long) batch * 2 * DIM * 4);
    }

    @Benchmark
    public void run() {
        int b = next;
        next = (next + 1) % BATCHES;
        if (kernel.equals("gather")) {
            k.gather(users.weights(), USERS, DIM, movies, MOVIES, DIM, userRows[b], movieRows[b], batch, out);
        } else {
            // The user columns of a (B, 16) input gradient, as the engine passes them.
            users.update(userRows[b], batch, grads, 0, 2 * DIM);
        }
        k.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        users.close();
        movies.close();
        for (int b = 0; b < BATCHES; b++) {
            userRows[b].close();
            movieRows[b].close();
        }
        grads.close();
        out.close();
    }
}
