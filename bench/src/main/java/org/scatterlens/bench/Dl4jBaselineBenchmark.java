package org.scatterlens.bench;

import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
import org.openjdk.jmh.annotations.Warmup;
import org.scatterlens.data.LoadedData;
import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;

/**
 * The peer: the tutorial's model written as a Java user would today, a plain
 * DL4J ComputationGraph — two EmbeddingLayers (hasBias false, nIn set
 * explicitly), MergeVertex, Dense 32 relu, Dense 4 relu, identity output with
 * MSE, Adam 0.005 — trained on batches of the same twin. Its embedding
 * updates touch the whole tables every step; that is the point of comparison.
 * Batches per second; times the batch for ratings per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class Dl4jBaselineBenchmark {
    static final int BATCHES = 16;

    @Param({"5000", "65536"})
    public int batch;

    private ComputationGraph graph;
    private MultiDataSet[] batches;
    private int next;

    static ComputationGraph tutorialGraph(int users, int movies) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.005))
                .graphBuilder()
                .addInputs("user", "movie")
                .addLayer("userEmbedding", new EmbeddingLayer.Builder().nIn(users).nOut(8).hasBias(false).build(), "user")
                .addLayer("movieEmbedding", new EmbeddingLayer.Builder().nIn(movies).nOut(8).hasBias(false).build(), "movie")
                .addVertex("concat", new MergeVertex(), "userEmbedding", "movieEmbedding")
                .addLayer("dense32", new DenseLayer.Builder().nIn(16).nOut(32).activation(Activation.RELU).build(), "concat")
                .addLayer("dense4", new DenseLayer.Builder().nIn(32).nOut(4).activation(Activation.RELU).build(), "dense32")
                .addLayer("rating", new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(4).nOut(1).activation(Activation.IDENTITY).build(), "dense4")
                .setOutputs("rating")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Setup(Level.Trial)
    public void setUp() {
        LoadedData data = BenchData.twin();
        Ratings r = data.ratings();
        Split split = BenchData.split(data);
        graph = tutorialGraph(r.users().size(), r.items().size());
        float mean = (float) r.mean(split.train());
        batches = new MultiDataSet[BATCHES];
        int[] train = split.train();
        for (int b = 0; b < BATCHES; b++) {
            float[] u = new float[batch];
            float[] m = new float[batch];
            float[] y = new float[batch];
            for (int k = 0; k < batch; k++) {
                int i = train[(int) (((long) b * batch + k) * 7919 % train.length)];
                u[k] = r.userRows()[i];
                m[k] = r.itemRows()[i];
                y[k] = r.values()[i] - mean;
            }
            INDArray[] features = {Nd4j.create(u, new long[] {batch, 1}, DataType.FLOAT),
                    Nd4j.create(m, new long[] {batch, 1}, DataType.FLOAT)};
            INDArray[] labels = {Nd4j.create(y, new long[] {batch, 1}, DataType.FLOAT)};
            batches[b] = new MultiDataSet(features, labels);
        }
    }

    @Benchmark
    public double fitOneBatch() {
        MultiDataSet b = batches[next];
        next = (next + 1) % BATCHES;
        graph.fit(b);
        return graph.score();
    }
}
