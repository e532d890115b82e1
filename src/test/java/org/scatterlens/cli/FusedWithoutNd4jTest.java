package org.scatterlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md: the data path, the kernels and the fused engine run with no ND4J
 * class loaded. A fresh JVM (this one has loaded ND4J for other tests) trains
 * with the default engine under -verbose:class; no org.nd4j class may appear.
 * The same run with --engine nd4j must show them, so the check can fail.
 */
class FusedWithoutNd4jTest {
    @TempDir
    Path tmp;

    private String trainWithClassLog(String engine) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = tmp.resolve(engine + ".log");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx1g", "-verbose:class",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--ratings", "20k", "--epochs", "1", "--batch-size", "1000", "--engine", engine,
                "--no-progress", "--out", tmp.resolve("run-" + engine).toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "train --engine " + engine + " did not finish in 120 s");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "train --engine " + engine + " failed:\n" + out);
        assertTrue(out.contains("completed 1 epochs"), out);
        return out;
    }

    @Test
    void fusedTrainingLoadsNoNd4jClass() throws IOException, InterruptedException {
        String fused = trainWithClassLog("fused");
        assertFalse(fused.contains("org.nd4j."), "the fused engine loaded ND4J: "
                + fused.lines().filter(l -> l.contains("org.nd4j.")).findFirst().orElse(""));
        assertTrue(trainWithClassLog("nd4j").contains("org.nd4j."), "the class log shows no ND4J class at all");
    }
}
