package org.scatterlens.train;

import java.util.ArrayList;
import java.util.List;

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
 */
public final class FusedEngine implements Engine {
    private final SparseTables tables;
    private final TowerKernels tower;
    private final TowerShape shape;
    private final DenseOptimizer dense;
    private final NativeBuffer params;          // (P) ND4J's flat order
    private final NativeBuffer state;           // dense optimizer state, ND4J's flat order
    private final NativeBuffer input;           // X (maxBatch, du + di)
    private final NativeBuffer inputGradient;   // dX (maxBatch, du + di)
    private final NativeBuffer outputGradient;  // dy (maxBatch)
    private final NativeBuffer targets;         // (maxBatch)
    private final NativeBuffer biasPair;        // (maxBatch, 2); null without biases
    private final double[] sums = new double[2];
    private long denseSteps;

    /**
     * @param kernels sparse verbs (the CPU tier; the Java tier for reference runs)
     * @param tower   the dense half, of the same tier's memory
     */
    public FusedEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                       SparseKernels kernels, TowerKernels tower, DenseOptimizer dense, SparseOptimizer sparse) {
        if (!kernels.tier().hostMemory() || kernels.tier() != tower.tier()) {
            throw new IllegalArgumentException("the fused engine needs host kernels and a tower of the same tier, got "
                    + kernels.tier().id() + " and " + tower.tier().id());
        }
        this.tower = tower;
        this.dense = dense;
        this.shape = TowerShape.of(config);
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.tables = track(made, new SparseTables(kernels, config, init, nUsers, nItems, sparse, maxBatch));
            int p = shape.parameterCount();
            float[] flat = new float[p];
            TowerParameters.flatten(init.layers(), shape, flat);
            this.params = track(made, kernels.allocate(Math.max(1, p) * 4L));
            params.write(0, flat, 0, p);
            float[] fresh = new float[(int) TowerKernels.stateSize(dense.kind(), p)];
            TowerParameters.resetState(dense, fresh);
            this.state = track(made, kernels.allocate(Math.max(1, fresh.length) * 4L));
            state.write(0, fresh, 0, fresh.length);
            long width = shape.inputWidth();
            this.input = track(made, kernels.allocate(maxBatch * width * 4));
            this.inputGradient = track(made, kernels.allocate(maxBatch * width * 4));
            this.outputGradient = track(made, kernels.allocate(maxBatch * 4L));
            this.targets = track(made, kernels.allocate(maxBatch * 4L));
            this.biasPair = tables.hasBiases() ? track(made, kernels.allocate(maxBatch * 2L * 4)) : null;
        } catch (RuntimeException e) {
            for (AutoCloseable c : made) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> made, T resource) {
        made.add(resource);
        return resource;
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
        gather(batch);
        targets.write(0, batch.targets, 0, n);
        tower.train(shape, params, dense.kind(), dense.learningRate(), dense.beta1(), dense.beta2(), dense.epsilon(),
                state, denseSteps + 1, input, biasPair, targets, n, inputGradient, outputGradient, sums);
        stats.add(sums[0], sums[1], n);
        tables.updateEmbeddings(inputGradient);
        if (biasPair != null) {
            tables.updateBiases(outputGradient);
        }
        denseSteps++;
    }

    @Override
    public void predict(Batch batch, float[] out) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
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
        return new ModelParameters(tables.userTable(), tables.itemTable(), tables.userBiases(), tables.itemBiases(),
                TowerParameters.layers(shape, flatParams()));
    }

    @Override
    public EngineState saveState() {
        float[] flat = new float[(int) TowerKernels.stateSize(dense.kind(), shape.parameterCount())];
        state.read(0, flat, 0, flat.length);
        return new EngineState(parameters(), tables.saveState(), flat, denseSteps);
    }

    @Override
    public void restoreState(EngineState saved) {
        float[] flat = new float[shape.parameterCount()];
        TowerParameters.flatten(saved.parameters().layers(), shape, flat);
        float[] dense = new float[(int) TowerKernels.stateSize(this.dense.kind(), flat.length)];
        TowerParameters.restoreState(saved.denseState(), dense);
        tables.restore(saved.parameters(), saved.sparse());
        params.write(0, flat, 0, flat.length);
        state.write(0, dense, 0, dense.length);
        denseSteps = saved.denseSteps();
    }

    @Override
    public void close() {
        tables.close();
        for (NativeBuffer b : new NativeBuffer[] {params, state, input, inputGradient, outputGradient, targets, biasPair}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
