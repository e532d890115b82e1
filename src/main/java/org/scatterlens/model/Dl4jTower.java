package org.scatterlens.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * {@link Tower} as a DL4J MultiLayerNetwork of DenseLayers driven with an
 * external output gradient (DL4J's documented "external errors" pattern:
 * feedForward, backpropGradient(dL/dy), the network's updater, params -= update).
 * Kept to measure against {@link DenseTower}; see docs/benchmarks.md.
 */
public final class Dl4jTower implements Tower {
    private final MultiLayerNetwork net;
    private final int[] widths;
    private final ModelConfig.Activation activation;
    private final int maxBatch;
    private final INDArray input;           // (maxBatch, in)
    private final INDArray outputGradient;  // (maxBatch, 1)
    private final INDArray inputGradient;   // (maxBatch, in), dL/dX copied out of DL4J's result
    private final Map<Integer, INDArray[]> rowViews = new HashMap<>();
    private Gradient gradient;

    public Dl4jTower(List<DenseLayer> layers, int maxBatch, IUpdater updater) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a dense tower needs at least one layer");
        }
        this.maxBatch = maxBatch;
        this.widths = new int[layers.size() + 1];
        widths[0] = layers.get(0).in();
        this.activation = layers.size() > 1 ? layers.get(0).activation() : ModelConfig.Activation.LINEAR;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(updater)
                .list();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            widths[l + 1] = layer.out();
            list.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                    .nIn(layer.in()).nOut(layer.out())
                    .activation(dl4j(layer.activation()))
                    .build());
        }
        MultiLayerConfiguration conf = list.build();
        this.net = new MultiLayerNetwork(conf);
        net.init();
        this.input = Nd4j.create(DataType.FLOAT, maxBatch, widths[0]);
        this.outputGradient = Nd4j.create(DataType.FLOAT, maxBatch, 1);
        this.inputGradient = Nd4j.create(DataType.FLOAT, maxBatch, widths[0]);
        load(layers);
    }

    private static Activation dl4j(ModelConfig.Activation a) {
        return switch (a) {
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case LINEAR -> Activation.IDENTITY;
        };
    }

    private INDArray[] views(int rows) {
        if (rows < 1 || rows > maxBatch) {
            throw new IllegalArgumentException("batch of " + rows + " rows is outside [1, " + maxBatch + "]");
        }
        return rowViews.computeIfAbsent(rows, b -> b == maxBatch
                ? new INDArray[] {input, outputGradient, inputGradient}
                : new INDArray[] {
                        input.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()),
                        outputGradient.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()),
                        inputGradient.get(NDArrayIndex.interval(0, b), NDArrayIndex.all())});
    }

    @Override
    public INDArray input(int rows) {
        return views(rows)[0];
    }

    @Override
    public INDArray outputGradient(int rows) {
        return views(rows)[1];
    }

    @Override
    public INDArray inputGradient(int rows) {
        return views(rows)[2];
    }

    @Override
    public INDArray forward(int rows) {
        net.setInput(views(rows)[0]);
        // train mode, and keep each layer's input: backpropGradient needs them.
        List<INDArray> activations = net.feedForward(true, false);
        return activations.get(activations.size() - 1);
    }

    @Override
    public void backward(int rows, Runnable inputGradientReady) {
        Pair<Gradient, INDArray> p = net.backpropGradient(views(rows)[1], LayerWorkspaceMgr.noWorkspaces());
        gradient = p.getFirst();
        views(rows)[2].assign(p.getSecond());
        inputGradientReady.run();
    }

    @Override
    public void update(int iteration, int epoch) {
        // Minibatch size 1: DL4J divides gradients by it, and dL/dy already carries the mean's 1/n.
        net.getUpdater().update(net, gradient, iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(gradient.gradient());
    }

    @Override
    public List<DenseLayer> layers() {
        List<DenseLayer> out = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            boolean last = l + 2 == widths.length;
            out.add(new DenseLayer(widths[l], widths[l + 1], Nd4j.toFlattened('c', net.getParam(l + "_W")).toFloatVector(),
                    Nd4j.toFlattened('c', net.getParam(l + "_b")).toFloatVector(),
                    last ? ModelConfig.Activation.LINEAR : activation));
        }
        return out;
    }

    @Override
    public void load(List<DenseLayer> layers) {
        if (layers.size() != widths.length - 1) {
            throw new IllegalArgumentException("tower has " + (widths.length - 1) + " layers, got " + layers.size());
        }
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            if (layer.in() != widths[l] || layer.out() != widths[l + 1]) {
                throw new IllegalArgumentException("layer " + l + " is (" + layer.in() + ", " + layer.out()
                        + "), the tower has (" + widths[l] + ", " + widths[l + 1] + ")");
            }
            net.getParam(l + "_W").assign(Nd4j.create(layer.weights(), new long[] {layer.in(), layer.out()}, DataType.FLOAT));
            net.getParam(l + "_b").assign(Nd4j.create(layer.bias(), new long[] {1, layer.out()}, DataType.FLOAT));
        }
    }

    @Override
    public float[] updaterState() {
        INDArray state = net.getUpdater().getStateViewArray();
        return state == null ? new float[0] : Nd4j.toFlattened('c', state).toFloatVector();
    }

    @Override
    public void restoreUpdaterState(float[] values) {
        INDArray state = net.getUpdater().getStateViewArray();
        long expected = state == null ? 0 : state.length();
        if (values.length != expected) {
            throw new IllegalArgumentException("dense updater state has " + values.length + " values, needs " + expected);
        }
        if (state != null) {
            state.assign(Nd4j.create(values, state.shape(), DataType.FLOAT));
        }
    }

    @Override
    public void close() {
        net.close();
        input.close();
        outputGradient.close();
        inputGradient.close();
    }
}
