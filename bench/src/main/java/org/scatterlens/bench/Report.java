package org.scatterlens.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.Tier;

/**
 * Turns the JMH JSON files of bench/run into docs/benchmarks.md and its PNG
 * charts. Every number on the page comes from those files; the page says
 * which machine and which command produced them. A configuration JMH could not
 * run (a CUDA case on a machine without a GPU) is listed as "not run" with
 * the reason, instead of vanishing.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.scatterlens.bench.Report RESULTS_DIR DOCS_DIR "COMMAND"}
 */
public final class Report {
    private final Map<String, List<JsonNode>> results = new TreeMap<>();
    private final StringBuilder page = new StringBuilder();
    private final Path docs;
    private final String command;
    /** Training ratings per epoch of the full twin: 90% of 20,000,263 (BenchData's split). */
    private long trainRatings;

    private Report(Path docs, String command) {
        this.docs = docs;
        this.command = command;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Report RESULTS_DIR DOCS_DIR \"COMMAND\"");
            System.exit(2);
        }
        Report r = new Report(Path.of(args[1]), args[2]);
        r.read(Path.of(args[0]));
        r.write();
    }

    private void read(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode run : json.readTree(f.toFile())) {
                    String benchmark = run.get("benchmark").asText();
                    results.computeIfAbsent(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1),
                            k -> new ArrayList<>()).add(run);
                }
            }
        }
        // The exact training-set size of the epoch benchmark's split, from the same cached twin.
        trainRatings = BenchData.split(BenchData.twin()).train().length;
    }

    private static String param(JsonNode run, String name) {
        JsonNode params = run.get("params");
        return params == null || params.get(name) == null ? "" : params.get(name).asText();
    }

    private static double score(JsonNode run) {
        return run.get("primaryMetric").get("score").asDouble();
    }

    private static double error(JsonNode run) {
        double e = run.get("primaryMetric").get("scoreError").asDouble();
        return Double.isNaN(e) ? 0 : e;
    }

    private static String si(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private void line(String s) {
        page.append(s).append('\n');
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            cpu = System.getProperty("os.arch");
        }
        long memory = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal")) {
                    memory = Long.parseLong(l.replaceAll("[^0-9]", "")) / (1 << 20);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // Not Linux: the memory line just says 0.
        }
        Kernels.Availability cuda = Kernels.probe(Tier.CUDA);
        String gpu = cuda.usable() ? String.join("; ", cuda.devices()) : "none (" + cuda.reason() + ")";
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory + " GiB; GPU: " + gpu
                + "; Java " + System.getProperty("java.version");
    }

    /** Why the CUDA cases did not run here, for their "not run" rows. */
    private static String cudaReason() {
        Kernels.Availability cuda = Kernels.probe(Tier.CUDA);
        return cuda.usable() ? "this build trains on the CPU only; the GPU engine is the CUDA issue's" : cuda.reason();
    }

    private void write() throws IOException {
        Files.createDirectories(docs.resolve("benchmarks"));
        line("# Benchmarks");
        line("");
        line("Generated by `bench/run` from JMH's JSON on " + LocalDate.now() + "; every number below comes from that run.");
        line("");
        line("- Machine: " + machine());
        line("- Command: `" + command.strip() + "`");
        line("- Data: the synthetic ML-20M twin (seed 42, 20,000,263 ratings, 138,493 users, 26,744 movies), "
                + "90/10 random split (seed 42)" + (trainRatings > 0 ? String.format(Locale.ROOT, ": %,d training ratings per epoch", trainRatings) : "") + ".");
        line("- Scores are JMH's mean ± 99.9% error over the measured iterations.");
        line("");
        goalsSection();
        trainingSection();
        towerSection();
        kernelSection();
        loadingSection();
        Path out = docs.resolve("benchmarks.md");
        Path tmp = out.resolveSibling("benchmarks.md.tmp");
        Files.writeString(tmp, page, StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("wrote " + out);
    }

    private List<JsonNode> runs(String benchmark) {
        return results.getOrDefault(benchmark, List.of());
    }

    /** The goals the issues set, against this run's numbers. */
    private void goalsSection() {
        line("## Goals");
        line("");
        line("| goal | measured here | |");
        line("| --- | --- | --- |");
        // The goal is judged on what `scatterlens train` runs here: the fused engine, --threads 0 = 2 on 2 cores.
        JsonNode epoch = find(runs("TrainEpochBenchmark.epoch"),
                Map.of("engine", "fused", "device", "cpu", "batch", "5000", "threads", "2"));
        JsonNode single = find(runs("TrainEpochBenchmark.epoch"),
                Map.of("engine", "fused", "device", "cpu", "batch", "5000", "threads", "1"));
        if (epoch != null && trainRatings > 0) {
            double perSecond = trainRatings / score(epoch);
            String alsoSingle = single == null ? "" : String.format(Locale.ROOT, "; one thread: %s ratings/s",
                    si(trainRatings / score(single)));
            line(String.format(Locale.ROOT, "| training ≥ 3,000,000 ratings/s at batch 5000 on the full twin (2 cores) | "
                            + "%s ratings/s (%.2f ± %.2f s per epoch; default engine fused, 2 threads%s) | %s |",
                    si(perSecond), score(epoch), error(epoch), alsoSingle, perSecond >= 3e6 ? "met" : "not met"));
        }
        String[][] loading = {
                {"LoadingBenchmark.parseCsv", "parse + id mapping of the 20M-row CSV ≤ 2.0 s", "2.0"},
                {"LoadingBenchmark.loadCache", "loading it again from the cache ≤ 0.3 s", "0.3"},
                {"LoadingBenchmark.generateTwin", "generating the full twin in memory ≤ 5 s", "5.0"}};
        for (String[] g : loading) {
            List<JsonNode> r = runs(g[0]);
            if (!r.isEmpty()) {
                double seconds = score(r.get(0));
                line(String.format(Locale.ROOT, "| %s | %.3f s | %s |", g[1], seconds,
                        seconds <= Double.parseDouble(g[2]) ? "met" : "not met"));
            }
        }
        line("");
    }

    private void trainingSection() throws IOException {
        line("## Training throughput: full epochs of the tutorial model");
        line("");
        line("`TrainEpochBenchmark`: one epoch exactly as `scatterlens train --engine E --threads T` runs it (shuffle, "
                + "then every batch through the step), single-shot, 1 warm-up epoch + 3 measured. Engine fused (the "
                + "default): native gather, one native call for the tower's forward, loss, backward and Adam, native "
                + "sparse Adam on the touched rows; with 2 threads the user-table update of each batch runs on a helper "
                + "thread beside the next batch's step. Engine nd4j: the same with the tower in ND4J ops and ND4J's Adam; "
                + "2 threads put its sparse updates on a helper beside the rest of the backward pass. "
                + "`Dl4jBaselineBenchmark`: the same model as a plain DL4J ComputationGraph (EmbeddingLayer x2, "
                + "MergeVertex, Dense 32, Dense 4, MSE output, Adam 0.005), batches of the same twin, throughput mode.");
        line("");
        line("| engine | device | batch | threads | seconds per epoch | ratings/s | speed-up over DL4J |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        Map<String, Double> dl4j = new LinkedHashMap<>();
        for (JsonNode run : runs("Dl4jBaselineBenchmark.fitOneBatch")) {
            int batch = Integer.parseInt(param(run, "batch"));
            dl4j.put(param(run, "batch"), score(run) * batch);
        }
        Map<String, Double> chartScatter = new LinkedHashMap<>();
        for (String engine : new String[] {"fused", "nd4j"}) {
            for (String device : new String[] {"cpu", "cuda"}) {
                for (String batch : new String[] {"5000", "65536"}) {
                    for (String threads : new String[] {"1", "2"}) {
                        Map<String, String> key = Map.of("engine", engine, "device", device, "batch", batch, "threads", threads);
                        JsonNode run = find(runs("TrainEpochBenchmark.epoch"), key);
                        if (run == null) {
                            if (device.equals("cuda") && threads.equals("1")) {
                                line("| scatterlens (" + engine + ") | cuda | " + batch + " | | not run: " + cudaReason() + " | | |");
                            }
                            continue;  // a cpu combination bench/run did not ask for
                        }
                        double seconds = score(run);
                        double perSecond = trainRatings > 0 ? trainRatings / seconds : Double.NaN;
                        Double peer = dl4j.get(batch);
                        line(String.format(Locale.ROOT, "| scatterlens (%s) | %s | %s | %s | %.2f ± %.2f | %s | %s |", engine,
                                device, batch, threads, seconds, error(run), si(perSecond),
                                peer == null ? "" : String.format(Locale.ROOT, "%.1f×", perSecond / peer)));
                        chartScatter.put(engine + " t" + threads + " b" + batch, perSecond);
                    }
                }
            }
        }
        for (JsonNode run : runs("Dl4jBaselineBenchmark.fitOneBatch")) {
            int batch = Integer.parseInt(param(run, "batch"));
            double perSecond = score(run) * batch;
            double seconds = trainRatings > 0 ? trainRatings / perSecond : Double.NaN;
            line(String.format(Locale.ROOT, "| DL4J ComputationGraph | cpu | %d | | %.1f (derived) | %s ± %s | 1.0× |", batch,
                    seconds, si(perSecond), si(error(run) * batch)));
        }
        line("");
        line("Peers measured elsewhere on the same kind of machine (ND4J-NOTES.md, issue 4): PyTorch 1.13 0.80M ratings/s "
                + "(dense Adam) and 0.66M/s (SparseAdam) at batch 5000; the Keras tutorial ≈ 0.35M/s.");
        line("");
        if (!chartScatter.isEmpty() || !dl4j.isEmpty()) {
            CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                    .title("Training throughput, tutorial model, full ML-20M twin, 2 cores")
                    .xAxisTitle("batch size").yAxisTitle("ratings per second").build();
            style(chart);
            List<String> batches = List.of("5000", "65536");
            chart.addSeries("fused, 2 threads (default)", batches, values(batches, b -> chartScatter.getOrDefault("fused t2 b" + b, 0.0)));
            chart.addSeries("fused, 1 thread", batches, values(batches, b -> chartScatter.getOrDefault("fused t1 b" + b, 0.0)));
            chart.addSeries("nd4j, 1 thread", batches, values(batches, b -> chartScatter.getOrDefault("nd4j t1 b" + b, 0.0)));
            chart.addSeries("DL4J ComputationGraph", batches, values(batches, b -> dl4j.getOrDefault(b, 0.0)));
            BitmapEncoder.saveBitmap(chart, docs.resolve("benchmarks/training.png").toString(), BitmapEncoder.BitmapFormat.PNG);
            line("![training throughput](benchmarks/training.png)");
            line("");
        }
    }

    private void towerSection() throws IOException {
        List<JsonNode> runs = runs("EngineStepBenchmark.step");
        if (runs.isEmpty()) {
            return;
        }
        line("## One training step: the dense half as ND4J ops, a DL4J network, or one native call");
        line("");
        line("`EngineStepBenchmark`: one training step on ML-20M-sized tables (uniform users, Zipf movies). `ops` and "
                + "`dl4j`: the ND4J engine with the tower as raw ND4J ops (`--engine nd4j --tower ops`) or as a DL4J "
                + "MultiLayerNetwork fed the output gradient (`--tower dl4j`); engine threads 2 put the sparse updates on a "
                + "helper thread beside the first layer's dW, db and the dense update; ND4J's own OpenMP/BLAS threads as "
                + "given. `fused`: the fused engine (`--engine fused`), engine threads 2 = the pipelined user update; it "
                + "loads no ND4J, so ND4J's threads do not apply to it.");
        line("");
        line("| dense half | batch | engine threads | ND4J threads | steps/s | ratings/s |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (JsonNode run : runs) {
            int batch = Integer.parseInt(param(run, "batch"));
            boolean fused = param(run, "tower").equals("fused");
            line(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f ± %.1f | %s |", param(run, "tower"), batch,
                    param(run, "threads"), fused ? "n/a" : param(run, "nd4jThreads"), score(run), error(run),
                    si(score(run) * batch)));
        }
        line("");
        // The chart compares the three where the product runs them (ND4J at 1 thread); the table has the rest.
        List<String> groups = List.of("5000", "65536");
        CategoryChart c = new CategoryChartBuilder().width(1200).height(500)
                .title("One training step: ND4J ops vs DL4J network vs fused native (ND4J 1 thread)")
                .xAxisTitle("batch size").yAxisTitle("ratings per second").build();
        style(c);
        for (String towerKind : new String[] {"ops", "dl4j", "fused"}) {
            for (String threads : new String[] {"1", "2"}) {
                List<Double> values = new ArrayList<>();
                for (String batch : groups) {
                    JsonNode run = find(runs, Map.of("tower", towerKind, "batch", batch, "threads", threads, "nd4jThreads", "1"));
                    values.add(run == null ? 0.0 : score(run) * Integer.parseInt(batch));
                }
                c.addSeries(towerKind + ", engine threads " + threads, groups, values);
            }
        }
        BitmapEncoder.saveBitmap(c, docs.resolve("benchmarks/tower.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        line("![step comparison](benchmarks/tower.png)");
        line("");
        towerKernelSection();
    }

    private void towerKernelSection() {
        List<JsonNode> runs = runs("TowerBenchmark.train");
        if (runs.isEmpty()) {
            return;
        }
        line("`TowerBenchmark`: the fused engine's dense half alone (`sl_tower_train`: the tutorial's tower forward, MSE "
                + "loss, backward and Adam on B random rows); cpu is the native kernel with its OpenMP threads, java the "
                + "plain-Java reference it is tested against. GFLOP/s counts " + TowerBenchmark.MACS_PER_ROW
                + " multiply-adds per row (forward, dL/dX, dW).");
        line("");
        line("| tier | batch | threads | calls/s | µs per call | rows/s | GFLOP/s |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (JsonNode run : runs) {
            int batch = Integer.parseInt(param(run, "batch"));
            double rows = score(run) * batch;
            line(String.format(Locale.ROOT, "| %s | %d | %s | %.1f ± %.1f | %.0f | %s | %.1f |", param(run, "tier"), batch,
                    param(run, "threads"), score(run), error(run), 1e6 / score(run), si(rows),
                    rows * 2.0 * TowerBenchmark.MACS_PER_ROW / 1e9));
        }
        line("");
    }

    /** Bytes one row moves: gather reads a user and a movie row and writes both; updates read the gradient row and read+write state. */
    private static int bytesPerRow(String kernel) {
        int dim = KernelBenchmark.DIM * 4;
        return switch (kernel) {
            case "gather" -> 2 * dim * 2 + 8;
            case "sgd" -> dim + 2 * dim + 4;
            case "adagrad" -> dim + 2 * 2 * dim + 4;
            case "adam" -> dim + 2 * 3 * dim + 2 * 4 + 4;
            default -> 0;
        };
    }

    private void kernelSection() throws IOException {
        List<JsonNode> runs = runs("KernelBenchmark.run");
        if (runs.isEmpty()) {
            return;
        }
        line("## Kernels");
        line("");
        line("`KernelBenchmark`: one verb on ML-20M-sized tables (138,493 × 8 users, 26,744 × 8 movies); sparse updates "
                + "of the user table with gradients from a (B, 16) buffer. Rows per second = batches/s × B; GB/s = rows/s × "
                + "the bytes a row moves (gather: two rows read and written plus ids; sgd: gradient + weights read and "
                + "written; adagrad and adam add their state rows and, for adam, the step counter).");
        line("");
        line("| tier | kernel | ids | batch | batches/s | rows/s | GB/s |");
        line("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        Map<String, Double> chart = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            int batch = Integer.parseInt(param(run, "batch"));
            double rows = score(run) * batch;
            String kernel = param(run, "kernel");
            line(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f ± %.1f | %s | %.2f |", param(run, "tier"), kernel,
                    param(run, "ids"), batch, score(run), error(run), si(rows), rows * bytesPerRow(kernel) / 1e9));
            if (param(run, "ids").equals("zipf") && batch == 5000) {
                chart.put(kernel, rows);
            }
        }
        if (find(runs, Map.of("tier", "cuda")) == null) {
            line("| cuda | all | all | all | not run: " + cudaReason() + " | | |");
        }
        line("");
        if (!chart.isEmpty()) {
            CategoryChart c = new CategoryChartBuilder().width(900).height(500)
                    .title("CPU kernels, batch 5000, Zipf ids").xAxisTitle("kernel").yAxisTitle("rows per second").build();
            style(c);
            c.addSeries("cpu", new ArrayList<>(chart.keySet()), new ArrayList<>(chart.values()));
            BitmapEncoder.saveBitmap(c, docs.resolve("benchmarks/kernels.png").toString(), BitmapEncoder.BitmapFormat.PNG);
            line("![kernels](benchmarks/kernels.png)");
            line("");
        }
    }

    private void loadingSection() {
        List<JsonNode> runs = new ArrayList<>();
        for (String b : new String[] {"LoadingBenchmark.parseCsv", "LoadingBenchmark.loadCache", "LoadingBenchmark.generateTwin"}) {
            runs.addAll(runs(b));
        }
        if (runs.isEmpty()) {
            return;
        }
        line("## Loading 20M ratings");
        line("");
        line("`LoadingBenchmark`: parse of the twin written as an ml-20m ratings.csv (id mapping and duplicate checks "
                + "included, no cache), the same file loaded again from its binary cache, and generating the twin in memory.");
        line("");
        line("| what | seconds |");
        line("| --- | ---: |");
        for (JsonNode run : runs) {
            String name = run.get("benchmark").asText();
            line(String.format(Locale.ROOT, "| %s | %.3f ± %.3f |", name.substring(name.lastIndexOf('.') + 1), score(run), error(run)));
        }
        line("");
    }

    private static JsonNode find(List<JsonNode> runs, Map<String, String> params) {
        for (JsonNode run : runs) {
            boolean all = true;
            for (Map.Entry<String, String> p : params.entrySet()) {
                all &= p.getValue().equals(param(run, p.getKey()));
            }
            if (all) {
                return run;
            }
        }
        return null;
    }

    private static List<Double> values(List<String> keys, java.util.function.Function<String, Double> f) {
        List<Double> out = new ArrayList<>();
        for (String k : keys) {
            out.add(f.apply(k));
        }
        return out;
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    }
}
