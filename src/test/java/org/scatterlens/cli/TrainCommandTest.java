package org.scatterlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.model.ModelStore;
import org.scatterlens.model.RatingModel;

/** train and eval through Main.run on a small twin, as a user types them. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private CliRun last;

    private int run(String... args) {
        last = CliRun.of(args);
        return last.code();
    }

    private String out() {
        return last.out();
    }

    private String err() {
        return last.err();
    }

    @Test
    void trainsSavesReportsAndResumes() throws IOException {
        Path runDir = tmp.resolve("runs/first");
        Path report = tmp.resolve("report.json");
        int code = run("train", "--ratings", "60k", "--epochs", "2", "--batch-size", "2000", "--threads", "1",
                "--out", runDir.toString(), "--report", report.toString(), "--no-cache", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, code, err());
        String o = out();
        assertTrue(o.contains("baseline  movieMean"), o);
        assertTrue(o.contains("epoch 1/2") && o.contains("epoch 2/2"), o);
        assertTrue(Files.isRegularFile(runDir.resolve("checkpoint.bin")));
        assertTrue(Files.isSymbolicLink(tmp.resolve("runs/latest")));
        RatingModel model = ModelStore.load(tmp.resolve("runs/latest"));
        assertEquals(2, model.history().size());
        assertTrue(model.provenance().containsKey("baseline.movieMean.valMae"), model.provenance().toString());

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(2, json.get("epochs").size());
        for (String field : new String[] {"epoch", "seconds", "ratingsPerSecond", "loss", "mae", "valLoss", "valRmse", "valMae"}) {
            assertTrue(json.get("epochs").get(0).has(field), field);
        }
        assertTrue(json.get("config").has("model") && json.get("data").has("ratings") && json.get("baselines").has("movieMean")
                && json.get("best").has("valRmse"), json.toString());

        code = run("train", "--ratings", "60k", "--epochs", "3", "--batch-size", "2000", "--threads", "1",
                "--out", runDir.toString(), "--resume", "--no-cache", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, code, err());
        assertTrue(out().contains("epoch 3/3") && !out().contains("epoch 1/3"), out());
        assertEquals(3, ModelStore.load(runDir).history().size());

        code = run("eval", "--model", runDir.toString(), "--ratings", "60k", "--no-cache", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, code, err());
        assertTrue(out().contains("rmse") && out().contains("mae"), out());
    }

    @Test
    void badFlagsAreOneLineNamingTheFlagAndTheAllowedValues() {
        assertEquals(2, run("train", "--optimizer", "rmsprop"));
        assertTrue(err().startsWith("scatterlens train: --optimizer: 'rmsprop' is not one of sgd, adagrad, adam"), err());
        assertEquals(2, run("train", "--device", "tpu"));
        assertTrue(err().contains("--device: 'tpu' is not one of auto, cpu, cuda"), err());
        assertEquals(2, run("train", "--architecture", "mf", "--hidden", "32"));
        assertTrue(err().contains("--hidden: an mf model has no hidden layers"), err());
        assertEquals(2, run("train", "--epochs", "zero"));
        assertTrue(err().contains("--epochs"), err());
        assertEquals(2, run("train", "--val-fraction", "1.5"));
        assertTrue(err().contains("--val-fraction: 1.5 is not in [0, 1)"), err());
        assertTrue(!err().contains("\tat "), "no stack trace without --debug: " + err());
    }

    @Test
    void cudaWithoutAGpuIsAClearError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.scatterlens.kernels.Kernels.probe(org.scatterlens.kernels.Tier.CUDA).usable());
        assertEquals(2, run("train", "--device", "cuda", "--ratings", "20k"));
        assertTrue(err().startsWith("scatterlens train: --device cuda: "), err());
    }
}
