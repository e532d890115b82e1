package org.scatterlens.train;

import org.scatterlens.kernels.JavaTower;
import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.TowerKernels;
import org.scatterlens.kernels.TowerShape;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;

/**
 * The plain-Java trainer: the same step as {@link Nd4jEngine} and
 * {@link FusedEngine}, its dense half the plain-Java {@link JavaTower} (loops
 * over float arrays, dense optimizers that repeat ND4J's formulas). The oracle
 * both engines are tested against; no ND4J class is loaded.
 */
public final class ReferenceEngine implements Engine {
    private final SparseTables tables;
    private final DenseOptimizer dense;
    private final TowerShape shape;
    private final int width;
    private final float[] params;    // the tower, ND4J's flat order (empty for DOT)
    private final float[] state;     // the dense optimizer's, ND4J's flat order
    private final NativeBuffer inputBuffer;     // X (maxBatch, width)
    private final NativeBuffer gradientBuffer;  // dX (maxBatch, width)
    private final NativeBuffer outputGradient;  // dy (maxBatch)
    private final NativeBuffer biasBuffer;      // (maxBatch, 2)
    private long denseSteps;

    public ReferenceEngine(ModelConfig config, ModelParameters init, int nUsers, int nItems, int maxBatch,
                           SparseKernels kernels, DenseOptimizer dense, SparseOptimizer sparse) {
        if (!kernels.tier().hostMemory()) {
            throw new IllegalArgumentException("the reference engine needs host kernels, not " + kernels.tier().id());
        }
        this.dense = dense;
        this.shape = TowerShape.of(config);
        this.width = shape.inputWidth();
        this.params = new float[shape.parameterCount()];
        this.state = new float[TowerKernels.stateSize(dense.kind(), params.length)];
        this.tables = new SparseTables(kernels, config, init, nUsers, nItems, sparse, maxBatch);
        this.inputBuffer = kernels.allocate((long) maxBatch * width * 4);
        this.gradientBuffer = kernels.allocate((long) maxBatch * width * 4);
        this.outputGradient = kernels.allocate(maxBatch * 4L);
        this.biasBuffer = kernels.allocate(maxBatch * 2L * 4);
        TowerParameters.flatten(init.layers(), shape, params);
        TowerParameters.resetState(dense, state);
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String kernels() {
        return tables.kernels().tier().id();
    }

    /** Per-layer activations for the loaded batch; acts[0] is X. */
    private float[][] forward(int n, float[] y) {
        float[] x = new float[n * width];
        tables.gather(inputBuffer);
        inputBuffer.read(0, x, 0, n * width);
        float[] pair = null;
        if (tables.hasBiases()) {
            pair = new float[2 * n];
            tables.gatherBiases(biasBuffer);
            biasBuffer.read(0, pair, 0, 2 * n);
        }
        return JavaTower.forward(shape, params, x, pair, n, y);
    }

    @Override
    public void train(Batch batch, ErrorStats stats) {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        tables.load(batch);
        float[] y = new float[n];
        float[][] acts = forward(n, y);
        float[] dy = new float[n];
        stats.addMseLoss(y, batch.targets, n, dy);

        float[] dx = new float[n * width];
        float[] gradient = new float[params.length];
        JavaTower.backward(shape, params, acts, dy, n, dx, gradient);
        gradientBuffer.write(0, dx, 0, n * width);
        tables.updateEmbeddings(gradientBuffer);
        if (tables.hasBiases()) {
            outputGradient.write(0, dy, 0, n);
            tables.updateBiases(outputGradient);
        }
        if (params.length > 0) {
            JavaTower.step(dense.kind(), dense.learningRate(), dense.beta1(), dense.beta2(), dense.epsilon(),
                    denseSteps + 1, params, gradient, state);
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
        forward(n, out);
    }

    @Override
    public ModelParameters parameters() {
        return new ModelParameters(tables.userTable(), tables.itemTable(), tables.userBiases(), tables.itemBiases(),
                TowerParameters.layers(shape, params));
    }

    @Override
    public EngineState saveState() {
        return new EngineState(parameters(), tables.saveState(), state.clone(), denseSteps);
    }

    @Override
    public void restoreState(EngineState state) {
        tables.restore(state.parameters(), state.sparse());
        TowerParameters.flatten(state.parameters().layers(), shape, params);
        TowerParameters.restoreState(state.denseState(), this.state);
        denseSteps = state.denseSteps();
    }

    @Override
    public void close() {
        tables.close();
        inputBuffer.close();
        gradientBuffer.close();
        outputGradient.close();
        biasBuffer.close();
    }
}
