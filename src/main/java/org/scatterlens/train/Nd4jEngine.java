package org.scatterlens.train;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.model.Tower;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;

/**
 * The engine of DESIGN.md: native gather straight into ND4J's input buffer,
 * the dense tower forward and backward in ND4J ({@link DenseTower}), native
 * sparse updates of the touched rows from ND4J's input-gradient buffer, and
 * ND4J's own updater for the dense weights. Nothing is allocated per batch
 * but a few scalars and views.
 *
 * <p>DOT models (matrix factorization) have no tower: y = sum(Xu * Xi), with
 * dXu = dy * Xi and dXi = dy * Xu, also as ND4J ops.
 *
 * <p>Kernels and ND4J exchange buffers by address, which needs both on the
 * host: ND4J's CPU backend with a host kernel tier (cpu, or java for tests).
 */
public final class Nd4jEngine implements Engine {
    private final ModelConfig config;
    private final SparseTables tables;
    private final Tower tower;               // null for DOT
    private final int inputWidth;
    // (maxBatch, ...) buffers shared by TOWER and DOT; the tower owns X and dX for TOWER.
    private final INDArray input;            // X (maxBatch, du + di)
    private final INDArray inputGradient;    // dX, DOT only (the tower keeps its own)
    private final INDArray output;           // y (maxBatch, 1), DOT only
    private final INDArray outputGradient;   // dy (maxBatch, 1); the tower's own for TOWER
    private final float[] predictions;       // y on the host (maxBatch)
    private final float[] lossGradient;      // dL/dy on the host (maxBatch)
    private final INDArray product;          // Xu * Xi (maxBatch, d), DOT only
    private final INDArray biasPair;         // (maxBatch, 2) [user bias | movie bias]
    private final INDArray biasSum;          // (maxBatch, 1)
    private final SpinWorker worker;         // runs the user table's update; null when single-threaded
    private long denseSteps;

    /**
     * @param kernels host tier (cpu, or java for reference runs)
     * @param dense   optimizer of the tower's weights (ND4J's updater)
     * @param sparse  optimizer of the touched embedding rows (native kernels); L2 comes from the model config
     */
    public Nd4jEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                      SparseKernels kernels, DenseOptimizer dense, SparseOptimizer sparse) {
        this(config, init, nUsers, nItems, maxBatch, kernels, dense, sparse, Tower.Kind.OPS, 1);
    }

    /**
     * @param towerKind raw ND4J ops or a DL4J network for the dense layers
     * @param threads   1: everything on the calling thread; 2 or more: the sparse updates run on a helper
     *                  thread, started as soon as dL/dX is final, while this one finishes the backward pass
     *                  and updates the tower. They touch disjoint memory, so the result is bit-identical to
     *                  the sequential step.
     */
    public Nd4jEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                      SparseKernels kernels, DenseOptimizer dense, SparseOptimizer sparse, Tower.Kind towerKind,
                      int threads) {
        if (!kernels.tier().hostMemory()) {
            throw new IllegalArgumentException("the nd4j engine exchanges buffers with ND4J's CPU backend and needs host "
                    + "kernels (cpu or java), not " + kernels.tier().id());
        }
        if (Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cuda")) {
            throw new IllegalStateException("ND4J's CUDA backend is loaded: this engine hands host addresses to the "
                    + "kernels; the GPU path is the CUDA issue's");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        }
        this.config = config;
        this.inputWidth = config.userDim() + config.itemDim();
        this.predictions = new float[maxBatch];
        this.lossGradient = new float[maxBatch];
        SparseTables made = new SparseTables(kernels, config, init, nUsers, nItems, sparse, maxBatch);
        this.tables = made;
        try {
            if (config.architecture() == ModelConfig.Architecture.TOWER) {
                tower = Tower.create(towerKind, init.layers(), maxBatch, updater(dense));
                input = tower.input(maxBatch);
                inputGradient = null;
                output = null;
                outputGradient = tower.outputGradient(maxBatch);
                product = null;
            } else {
                tower = null;
                input = Nd4j.create(DataType.FLOAT, maxBatch, inputWidth);
                inputGradient = Nd4j.create(DataType.FLOAT, maxBatch, inputWidth);
                output = Nd4j.create(DataType.FLOAT, maxBatch, 1);
                outputGradient = Nd4j.create(DataType.FLOAT, maxBatch, 1);
                product = Nd4j.create(DataType.FLOAT, maxBatch, config.userDim());
            }
            biasPair = made.hasBiases() ? Nd4j.create(DataType.FLOAT, maxBatch, 2) : null;
            biasSum = made.hasBiases() ? Nd4j.create(DataType.FLOAT, maxBatch, 1) : null;
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
        // Last, so a failure above leaves no thread behind.
        this.worker = threads >= 2 ? new SpinWorker("scatterlens-sparse-update") : null;
    }

    /**
     * Threads for ND4J's own loops and for its BLAS. Global to the JVM, as ND4J's settings are.
     * On small layers one thread often beats two (ND4J-NOTES.md): measure, it is a flag.
     */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** ND4J's updater for our dense optimizer config. */
    static IUpdater updater(DenseOptimizer dense) {
        return switch (dense.kind()) {
            case ADAM -> new Adam(dense.learningRate(), dense.beta1(), dense.beta2(), dense.epsilon());
            case ADAGRAD -> new AdaGrad(dense.learningRate(), dense.epsilon());
            case SGD -> new Sgd(dense.learningRate());
        };
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public String kernels() {
        return tables.kernels().tier().id();
    }

    /** A kernel-tier view of an ND4J array's host memory (c order, contiguous). */
    private NativeBuffer view(INDArray a) {
        NativeBuffer whole = NativeBuffer.wrap(tables.kernels(), a.data().addressPointer(), a.data().length() * 4L);
        return whole.slice(a.offset() * 4L, a.length() * 4L);
    }

    private static INDArray rows(INDArray a, int n) {
        return n == a.rows() ? a : a.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }

    /** y (n, 1) for the loaded batch: gather, then tower or dot product, plus biases. */
    private INDArray forward(int n) {
        INDArray x = rows(input, n);
        tables.gather(view(x));
        INDArray y;
        if (tower != null) {
            y = tower.forward(n);
        } else {
            int d = config.userDim();
            INDArray xu = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
            INDArray xi = x.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
            INDArray p = rows(product, n);
            Nd4j.exec(new MulOp(xu, xi, p));
            y = rows(output, n);
            p.sum(y.reshape(n), 1);
        }
        if (biasPair != null) {
            INDArray pair = rows(biasPair, n);
            tables.gatherBiases(view(pair));
            INDArray s = rows(biasSum, n);
            pair.sum(s.reshape(n), 1);
            y.addi(s);
        }
        return y;
    }

    @Override
    public void train(Batch batch, ErrorStats stats) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        tables.load(batch);
        INDArray y = forward(n);

        // The loss on the host: n floats, where ND4J would spend several ops (about 30 us each here).
        view(y).read(0, predictions, 0, n);
        stats.addMseLoss(predictions, batch.targets, n, lossGradient);
        INDArray dy = rows(outputGradient, n);
        view(dy).write(0, lossGradient, 0, n);
        // The sparse half of the step starts as soon as dL/dX is final (from the pre-update weights):
        // on the worker, beside the first layer's dW and db and the dense update here; inline without one.
        // The buffers are resolved here, on this thread: the worker touches native memory only, never ND4J.
        Runnable startSparse = () -> {
            NativeBuffer dx = view(tower != null ? tower.inputGradient(n) : rows(inputGradient, n));
            NativeBuffer dyHost = view(dy);
            Runnable sparseUpdates = () -> {
                tables.updateUsers(dx);
                tables.updateItems(dx);
                if (biasPair != null) {
                    tables.updateBiases(dyHost);
                }
            };
            if (worker != null) {
                worker.start(sparseUpdates);
            } else {
                sparseUpdates.run();
            }
        };
        if (tower != null) {
            tower.backward(n, startSparse);
        } else {
            int d = config.userDim();
            INDArray x = rows(input, n);
            INDArray dx = rows(inputGradient, n);
            INDArray xu = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
            INDArray xi = x.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
            dx.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(xi).muliColumnVector(dy);
            dx.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d)).assign(xu).muliColumnVector(dy);
            startSparse.run();
        }
        if (tower != null) {
            tower.update((int) denseSteps, 0);
        }
        if (worker != null) {
            worker.join();
        }
        denseSteps++;
    }

    @Override
    public void predict(Batch batch, float[] out) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        tables.load(batch);
        INDArray y = forward(n);
        view(y).read(0, out, 0, n);
    }

    @Override
    public ModelParameters parameters() {
        return new ModelParameters(tables.userTable(), tables.itemTable(), tables.userBiases(), tables.itemBiases(),
                tower == null ? List.of() : tower.layers());
    }

    @Override
    public EngineState saveState() {
        return new EngineState(parameters(), tables.saveState(),
                tower == null ? new float[0] : tower.updaterState(), denseSteps);
    }

    @Override
    public void restoreState(EngineState state) {
        tables.restore(state.parameters(), state.sparse());
        if (tower != null) {
            tower.load(state.parameters().layers());
            tower.restoreUpdaterState(state.denseState());
        }
        denseSteps = state.denseSteps();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        tables.close();
        List<INDArray> owned = new ArrayList<>();
        if (tower != null) {
            tower.close();
        } else {
            owned.addAll(List.of(input, inputGradient, output, outputGradient, product));
        }
        if (biasPair != null) {
            owned.add(biasPair);
            owned.add(biasSum);
        }
        for (INDArray a : owned) {
            a.close();
        }
    }
}
