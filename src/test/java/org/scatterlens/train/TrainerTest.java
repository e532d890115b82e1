package org.scatterlens.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.data.Movies;
import org.scatterlens.data.Ratings;
import org.scatterlens.data.Split;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.model.RatingModel;
import org.scatterlens.testing.TinyRatings;

class TrainerTest {
    private static final Ratings RATINGS = TinyRatings.planted(400, 150, 30_000, 3);
    private static final Split SPLIT = TinyRatings.tenth(RATINGS);

    private static TrainConfig config(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(512).withThreads(1).withSeed(5);
    }

    @Test
    void learnsAndLogsOneLinePerEpoch() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingResult r = new Trainer(config(4)).addListener(new EpochLogger(new PrintStream(log, true, StandardCharsets.UTF_8)))
                .fit(RATINGS, SPLIT, Movies.empty());
        List<EpochMetrics> h = r.history();
        assertEquals(4, h.size());
        assertTrue(h.get(3).valLoss() < h.get(0).valLoss(), "validation loss falls: " + h);
        assertTrue(h.get(3).loss() < h.get(0).loss(), "training loss falls: " + h);
        String[] lines = log.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("epoch 1/4 ") && lines[0].contains("val_rmse"), lines[0]);
        RatingModel m = r.model();
        assertEquals(RATINGS.mean(SPLIT.train()), m.mean(), 1e-6);
        float p = m.predict(1, 1);
        assertTrue(p >= 0.5f && p <= 5f, "clipped prediction " + p);
        assertEquals(SPLIT.train().length, java.util.Arrays.stream(m.itemRatingCounts()).sum());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} threads {1}")
    @org.junit.jupiter.params.provider.CsvSource({"FUSED, 1", "FUSED, 2", "ND4J, 1", "ND4J, 2"})
    void sameSeedSameHistory(TrainConfig.EngineKind engine, int threads) {
        // 20 000 training ratings in batches of 2500: the fused tower splits them across both threads.
        TrainConfig c = config(2).withEngine(engine).withThreads(threads).withBatchSize(2500);
        TrainingResult a = new Trainer(c).fit(RATINGS, SPLIT, Movies.empty());
        TrainingResult b = new Trainer(c).fit(RATINGS, SPLIT, Movies.empty());
        for (int e = 0; e < 2; e++) {
            assertEquals(a.history().get(e).loss(), b.history().get(e).loss(), 0.0);
            assertEquals(a.history().get(e).valRmse(), b.history().get(e).valRmse(), 0.0);
        }
        assertArrayEquals(a.model().userTable(), b.model().userTable());
    }

    @Test
    void resumeContinuesBitIdentically(@TempDir Path dir) {
        TrainingResult straight = new Trainer(config(3)).fit(RATINGS, SPLIT, Movies.empty());
        Path ckpt = dir.resolve("run");
        new Trainer(config(1)).fit(RATINGS, SPLIT, Movies.empty(), ckpt, false);
        assertTrue(Files.isRegularFile(ckpt.resolve("checkpoint.bin")));
        TrainingResult resumed = new Trainer(config(3)).fit(RATINGS, SPLIT, Movies.empty(), ckpt, true);
        assertEquals(3, resumed.history().size());
        for (int e = 0; e < 3; e++) {
            assertEquals(straight.history().get(e).loss(), resumed.history().get(e).loss(), 0.0, "epoch " + (e + 1));
            assertEquals(straight.history().get(e).valMae(), resumed.history().get(e).valMae(), 0.0, "epoch " + (e + 1));
        }
        assertArrayEquals(straight.model().itemTable(), resumed.model().itemTable());
        assertArrayEquals(straight.model().layers().get(0).weights(), resumed.model().layers().get(0).weights());
    }

    @Test
    void resumeRefusesAnotherRunsCheckpoint(@TempDir Path dir) {
        new Trainer(config(1)).fit(RATINGS, SPLIT, Movies.empty(), dir, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(config(2).withBatchSize(256)).fit(RATINGS, SPLIT, Movies.empty(), dir, true));
        assertTrue(e.getMessage().contains("of another run"), e.getMessage());
    }

    @Test
    void damagedCheckpointIsRejected(@TempDir Path dir) throws IOException {
        new Trainer(config(1)).fit(RATINGS, SPLIT, Movies.empty(), dir, false);
        Path f = dir.resolve("checkpoint.bin");
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(f, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(config(2)).fit(RATINGS, SPLIT, Movies.empty(), dir, true));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void truncatedCheckpointIsRejected(@TempDir Path dir) throws IOException {
        new Trainer(config(1)).fit(RATINGS, SPLIT, Movies.empty(), dir, false);
        Path f = dir.resolve("checkpoint.bin");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(config(2)).fit(RATINGS, SPLIT, Movies.empty(), dir, true));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void divergenceStopsWithTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        // SGD at lr 1e4 explodes within a few batches of epoch 2 at the latest.
        TrainConfig wild = config(5).withOptimizers(DenseOptimizer.of(SparseOptimizer.Kind.SGD, 1e4f),
                SparseOptimizer.sgd(1e4f));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(wild).fit(RATINGS, SPLIT, Movies.empty(), dir, false));
        assertTrue(e.getMessage().contains("NaN or infinite at epoch 1, batch"), e.getMessage());
        assertTrue(e.getMessage().contains("no epoch completed"), e.getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = TrainConfig.EngineKind.class, names = {"FUSED", "ND4J"})
    void earlyStoppingRestoresTheBestEpoch(TrainConfig.EngineKind engine) {
        // A learning rate this high overfits the tiny set within a few epochs.
        TrainConfig c = config(30).withEngine(engine).withOptimizers(DenseOptimizer.of(SparseOptimizer.Kind.ADAM, 0.05f),
                        SparseOptimizer.adam(0.05f))
                .withEarlyStopping(new TrainConfig.EarlyStopping(TrainConfig.Monitor.VAL_LOSS, 2, true, 0));
        TrainingResult r = new Trainer(c).fit(RATINGS, SPLIT, Movies.empty());
        assertTrue(r.stopReason().startsWith("early stopping"), r.stopReason());
        double bestVal = r.history().stream().mapToDouble(EpochMetrics::valLoss).min().orElseThrow();
        assertEquals(bestVal, r.best().valLoss(), 0.0);
        assertTrue(r.history().size() < 30);
        // The model holds the best epoch's weights: re-evaluating it gives the best validation loss.
        double sse = 0;
        for (int i : SPLIT.validation()) {
            double e = r.model().predictRows(RATINGS.userRows()[i], RATINGS.itemRows()[i]) - RATINGS.values()[i];
            sse += e * e;
        }
        assertEquals(bestVal, sse / SPLIT.validation().length, 1e-4);
    }
}
