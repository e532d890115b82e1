package org.scatterlens.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.scatterlens.data.DataSpec;
import org.scatterlens.data.Datasets;
import org.scatterlens.data.LoadedData;
import org.scatterlens.data.SyntheticMovieLens;

/**
 * Getting 20M ratings into memory: parsing the ml-20m-layout CSV (with id
 * mapping and duplicate checks), loading it again from the binary cache, and
 * generating the twin. Seconds per load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class LoadingBenchmark {
    private Path csv;

    @Setup(Level.Trial)
    public void setUp() {
        csv = BenchData.twinCsv();
        BenchData.twin();  // leaves the binary cache beside the CSV
    }

    /**
     * Each load makes 320 MB of columns that the previous one leaves as garbage: collect it
     * first, so an iteration times the load, not the collector catching up (as a fresh process would).
     */
    @Setup(Level.Iteration)
    public void collectThePreviousLoad() {
        System.gc();
    }

    @Benchmark
    public int parseCsv() {
        DataSpec spec = DataSpec.of(csv.toString());
        LoadedData d = Datasets.load(new DataSpec(spec.data(), spec.format(), false, spec.syntheticRatings(), spec.seed(),
                spec.moviesFile(), spec.cacheHome(), spec.mirror(), false, false));
        return d.ratings().size();
    }

    @Benchmark
    public int loadCache() {
        return Datasets.load(DataSpec.of(csv.toString())).ratings().size();
    }

    @Benchmark
    public int generateTwin() {
        return SyntheticMovieLens.generate(SyntheticMovieLens.FULL_RATINGS, BenchData.SEED).ratings().size();
    }
}
