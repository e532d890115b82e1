package org.scatterlens.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI's guard against rot: the benchmarks compile, JMH's generated code runs,
 * and one tiny benchmark produces a score. Seconds, not a measurement.
 */
class SmokeBenchmarkTest {

    @Test
    void oneTinyKernelBenchmarkRuns() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(KernelBenchmark.class.getSimpleName() + ".run")
                .param("tier", "cpu")
                .param("kernel", "adam")
                .param("ids", "zipf")
                .param("batch", "5000")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(1, results.size());
        double score = results.iterator().next().getPrimaryResult().getScore();
        assertTrue(score > 0, "batches per second: " + score);
    }
}
