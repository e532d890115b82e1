package org.scatterlens.train;

import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.TowerKernels;
import org.scatterlens.kernels.TowerShape;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;

/**
 * The fused engine of DESIGN.md on the CPU: the whole step in native code, no
 * ND4J class loaded. Per batch, four calls into the CPU kernel library:
 *
 * <pre>
 *   gather (users, movies[, biases]) -> X          sl_gather
 *   forward, loss, backward, dense step -> dX, dy  sl_tower_train (native/tower.h)
 *   sparse step of the touched user rows           sl_adam_update / adagrad / sgd
 *   sparse step of the touched movie rows (and bias rows)
 * </pre>
 *
 * The tutorial's layers are so small that ND4J spends most of a step between
 * its ~25 ops; one tower call does the same work in a few hundred microseconds
 * (docs/benchmarks.md). The dense optimizer repeats ND4J's formulas, parameters
 * and optimizer state keep ND4J's flat layout, so checkpoints move between the
 * engines. With {@link TowerKernels} of the Java tier it runs the reference
 * tower, for tests.
 *
 * <p>Pipelined (threads >= 2): the user-table update of batch i, the largest
 * and most memory-bound part of a step (random rows of a 138k-row table and its
 * Adam state), runs on a helper thread beside batch i+1's gather, tower and
 * movie update. Still exact, bit for bit: the rows of batch i that batch i+1
 * reads are updated first, on this thread; the helper takes only rows that batch
 * i+1 never touches, and it is joined before batch i+1's own user update is
 * deferred. Each row sees the same updates in the same order as without the
 * pipeline. Anything that reads the tables (predict, parameters, checkpoints)
 * applies the deferred update first.
 */
public final class FusedEngine implements Engine {
    private final SparseTables tables;
    private final TowerKernels tower;
    private final TowerShape shape;
    private final DenseOptimizer dense;
    private final NativeBuffer params;          // (P) ND4J's flat order
    private final NativeBuffer state;           // dense optimizer state, ND4J's flat order
    private final int stateSize;                // its floats
    private final NativeBuffer input;           // X (maxBatch, du + di)
    private final NativeBuffer inputGradient;   // dX (maxBatch, du + di)
    private final NativeBuffer outputGradient;  // dy (maxBatch)
    private final NativeBuffer targets;         // (maxBatch)
    private final NativeBuffer biasPair;        // (maxBatch, 2); null without biases
    private final double[] sums = new double[2];
    private long denseSteps;
    private final Pipeline pipeline;            // null: sequential

    /**
     * @param kernels sparse verbs (the CPU tier; the Java tier for reference runs)
     * @param tower   the dense half, of the same tier's memory
     */
    public FusedEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                       SparseKernels kernels, TowerKernels tower, DenseOptimizer dense, SparseOptimizer sparse) {
        this(config, init, nUsers, nItems, maxBatch, kernels, tower, dense, sparse, 1);
    }

    /**
     * @param threads 1: the whole step on the calling thread; 2 or more: pipelined (the class comment). The
     *                kernels' own OpenMP threads are the caller's business; pipelined, 1 is right on 2 cores.
     */
    public FusedEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                       SparseKernels kernels, TowerKernels tower, DenseOptimizer dense, SparseOptimizer sparse,
                       int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        }
        if (!kernels.tier().hostMemory() || kernels.tier() != tower.tier()) {
            throw new IllegalArgumentException("the fused engine needs host kernels and a tower of the same tier, got "
                    + kernels.tier().id() + " and " + tower.tier().id());
        }
        this.tower = tower;
        this.dense = dense;
        this.shape = TowerShape.of(config);
        Acquired made = new Acquired();
        try {
            this.tables = made.track(new SparseTables(kernels, config, init, nUsers, nItems, sparse, maxBatch));
            int p = shape.parameterCount();
            float[] flat = new float[p];
            TowerParameters.flatten(init.layers(), shape, flat);
            this.params = made.track(kernels.allocate(Math.max(1, p) * 4L));
            params.write(0, flat, 0, p);
            this.stateSize = TowerKernels.stateSize(dense.kind(), p);
            float[] fresh = new float[stateSize];
            TowerParameters.resetState(dense, fresh);
            this.state = made.track(kernels.allocate(Math.max(1, fresh.length) * 4L));
            state.write(0, fresh, 0, fresh.length);
            long width = shape.inputWidth();
            this.input = made.track(kernels.allocate(maxBatch * width * 4));
            this.inputGradient = made.track(kernels.allocate(maxBatch * width * 4));
            this.outputGradient = made.track(kernels.allocate(maxBatch * 4L));
            this.targets = made.track(kernels.allocate(maxBatch * 4L));
            this.biasPair = tables.hasBiases() ? made.track(kernels.allocate(maxBatch * 2L * 4)) : null;
            // Last, so a failure above leaves no thread behind.
            this.pipeline = threads >= 2 ? made.track(new Pipeline(kernels, nUsers, config.userDim(), maxBatch)) : null;
        } catch (RuntimeException e) {
            throw made.releaseAfter(e);
        }
    }

    @Override
    public String name() {
        return "fused";
    }

    @Override
    public String kernels() {
        return tables.kernels().tier().id();
    }

    /** Loads the batch's ids and gathers its rows into X (and the bias pair). */
    private void gather(Batch batch) {
        tables.load(batch);
        tables.gather(input);
        if (biasPair != null) {
            tables.gatherBiases(biasPair);
        }
    }

    @Override
    public void train(Batch batch, ErrorStats stats) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        if (pipeline != null) {
            pipeline.startDeferred(batch);
        }
        gather(batch);
        targets.write(0, batch.targets, 0, n);
        tower.train(shape, params, dense.kind(), dense.learningRate(), dense.beta1(), dense.beta2(), dense.epsilon(),
                state, denseSteps + 1, input, biasPair, targets, n, inputGradient, outputGradient, sums);
        stats.add(sums[0], sums[1], n);
        // The tables are disjoint memory: their order does not change a bit of the result.
        tables.updateItems(inputGradient);
        if (biasPair != null) {
            tables.updateBiases(outputGradient);
        }
        if (pipeline != null) {
            pipeline.defer(batch, inputGradient);
        } else {
            tables.updateUsers(inputGradient);
        }
        denseSteps++;
    }

    /** Applies a deferred user update now; before anything reads the tables. */
    private void settle() {
        if (pipeline != null) {
            pipeline.flush();
        }
    }

    /**
     * The pipelined user-table update: batch i's user rows and their gradients wait here until batch
     * i+1 arrives, then go in two disjoint parts, those batch i+1 reads (now, on the caller's thread)
     * and the rest (on the helper, joined before batch i+1's own rows are deferred).
     */
    private final class Pipeline implements AutoCloseable {
        private final int dim;
        private final int width;
        private final SpinWorker worker;
        private final int[] mark;             // per user: the stamp of the batch that last read it
        private int stamp;
        private final int[] pendingRows;      // batch i's user rows while deferred
        private final float[] pendingGrads;   // (n, dim) their gradient rows
        private int pending = -1;             // rows deferred; -1: none
        private final float[] dx;             // (maxBatch, width): dL/dX on the heap
        private final int[][] partRows = new int[2][];
        private final float[][] partGrads = new float[2][];
        private final NativeBuffer[] rows = new NativeBuffer[2];
        private final NativeBuffer[] grads = new NativeBuffer[2];

        Pipeline(SparseKernels kernels, int nUsers, int dim, int maxBatch) {
            this.dim = dim;
            this.width = shape.inputWidth();
            this.mark = new int[nUsers];
            this.pendingRows = new int[maxBatch];
            this.pendingGrads = new float[maxBatch * dim];
            this.dx = new float[maxBatch * width];
            try {
                for (int p = 0; p < 2; p++) {
                    partRows[p] = new int[maxBatch];
                    partGrads[p] = new float[maxBatch * dim];
                    rows[p] = kernels.allocate(maxBatch * 4L);
                    grads[p] = kernels.allocate((long) maxBatch * dim * 4);
                }
            } catch (RuntimeException e) {
                closeBuffers();
                throw e;
            }
            this.worker = new SpinWorker("scatterlens-user-update");  // last: nothing after it can fail
        }

        /** Batch i's deferred rows: those {@code next} reads now, the others on the helper. */
        void startDeferred(Batch next) {
            if (pending < 0) {
                return;
            }
            if (++stamp == Integer.MAX_VALUE) {
                java.util.Arrays.fill(mark, 0);
                stamp = 1;
            }
            for (int k = 0; k < next.size; k++) {
                mark[next.users[k]] = stamp;
            }
            int[] count = new int[2];
            for (int k = 0; k < pending; k++) {
                int row = pendingRows[k];
                int part = mark[row] == stamp ? 0 : 1;  // 0: read by the next batch
                int at = count[part]++;
                partRows[part][at] = row;
                System.arraycopy(pendingGrads, k * dim, partGrads[part], at * dim, dim);
            }
            for (int p = 0; p < 2; p++) {
                rows[p].write(0, partRows[p], 0, count[p]);
                grads[p].write(0, partGrads[p], 0, count[p] * dim);
            }
            long step = tables.userSteps() + 1;
            tables.updateUserRows(rows[0], count[0], grads[0], step);
            int rest = count[1];
            worker.start(() -> tables.updateUserRows(rows[1], rest, grads[1], step));
            pending = -1;
        }

        /** Joins the helper, then keeps {@code batch}'s user rows and gradients for the next step. */
        void defer(Batch batch, NativeBuffer inputGradient) {
            int n = batch.size;
            inputGradient.read(0, dx, 0, n * width);
            for (int k = 0; k < n; k++) {
                System.arraycopy(dx, k * width, pendingGrads, k * dim, dim);  // the user half: columns [0, dim)
            }
            System.arraycopy(batch.users, 0, pendingRows, 0, n);
            worker.join();
            pending = n;
        }

        /** Applies what is deferred, all of it on this thread. */
        void flush() {
            worker.join();
            if (pending < 0) {
                return;
            }
            rows[1].write(0, pendingRows, 0, pending);
            grads[1].write(0, pendingGrads, 0, pending * dim);
            tables.updateUserRows(rows[1], pending, grads[1], tables.userSteps() + 1);
            pending = -1;
        }

        /** Forgets what is deferred (a restore replaces the tables). */
        void discard() {
            worker.join();
            pending = -1;
        }

        private void closeBuffers() {
            for (NativeBuffer b : new NativeBuffer[] {rows[0], rows[1], grads[0], grads[1]}) {
                if (b != null) {
                    b.close();
                }
            }
        }

        @Override
        public void close() {
            worker.close();
            closeBuffers();
        }
    }

    @Override
    public void predict(Batch batch, float[] out) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        settle();
        gather(batch);
        // dy's buffer is free outside train: it takes the predictions.
        tower.predict(shape, params, input, biasPair, n, outputGradient);
        outputGradient.read(0, out, 0, n);
    }

    private float[] flatParams() {
        float[] flat = new float[shape.parameterCount()];
        params.read(0, flat, 0, flat.length);
        return flat;
    }

    @Override
    public ModelParameters parameters() {
        settle();
        return new ModelParameters(tables.userTable(), tables.itemTable(), tables.userBiases(), tables.itemBiases(),
                TowerParameters.layers(shape, flatParams()));
    }

    @Override
    public EngineState saveState() {
        settle();
        float[] flat = new float[stateSize];
        state.read(0, flat, 0, flat.length);
        return new EngineState(parameters(), tables.saveState(), flat, denseSteps);
    }

    @Override
    public void restoreState(EngineState saved) {
        float[] flat = new float[shape.parameterCount()];
        TowerParameters.flatten(saved.parameters().layers(), shape, flat);
        float[] dense = new float[stateSize];
        TowerParameters.restoreState(saved.denseState(), dense);
        if (pipeline != null) {
            pipeline.discard();
        }
        tables.restore(saved.parameters(), saved.sparse());
        params.write(0, flat, 0, flat.length);
        state.write(0, dense, 0, dense.length);
        denseSteps = saved.denseSteps();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.discard();
            pipeline.close();
        }
        tables.close();
        for (NativeBuffer b : new NativeBuffer[] {params, state, input, inputGradient, outputGradient, targets, biasPair}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
