package org.scatterlens.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.scatterlens.data.DataSpec;
import org.scatterlens.data.Datasets;
import org.scatterlens.data.LoadedData;
import org.scatterlens.data.Split;
import org.scatterlens.data.Splits;
import org.scatterlens.eval.Baselines;
import org.scatterlens.kernels.AdamSteps;
import org.scatterlens.kernels.Device;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelStore;
import org.scatterlens.model.RatedMovies;
import org.scatterlens.model.RatingModel;
import org.scatterlens.model.Tower;
import org.scatterlens.train.DenseOptimizer;
import org.scatterlens.train.EpochLogger;
import org.scatterlens.train.ProgressListener;
import org.scatterlens.train.TrainConfig;
import org.scatterlens.train.Trainer;
import org.scatterlens.train.TrainingResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scatterlens train}: load, split, print the baselines, train with one
 * line per epoch, save the model into the run directory.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a rating model (default: the Keras tutorial's network on the built-in ML-20M twin).")
public final class TrainCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Mixin
    DataOptions data;

    // ---- model -------------------------------------------------------------
    @Option(names = "--architecture", paramLabel = "tower|mf",
            description = "tower: [user | movie] embeddings -> dense layers (the tutorial); mf: dot product + biases. Default: ${DEFAULT-VALUE}.")
    String architecture = "tower";

    @Option(names = "--embedding-dim", paramLabel = "N", description = "Width of both embeddings. Default: 8.")
    Integer embeddingDim;

    @Option(names = "--user-dim", paramLabel = "N", description = "User embedding width (overrides --embedding-dim).")
    Integer userDim;

    @Option(names = "--movie-dim", paramLabel = "N", description = "Movie embedding width (overrides --embedding-dim).")
    Integer movieDim;

    @Option(names = "--hidden", paramLabel = "N,N,...", split = ",",
            description = "Hidden layer widths of the tower; 'none' for no hidden layer. Default: 32,4.")
    List<String> hidden;

    @Option(names = "--activation", paramLabel = "relu|tanh|sigmoid|linear", description = "Hidden layers' activation. Default: ${DEFAULT-VALUE}.")
    String activation = "relu";

    @Option(names = "--biases", description = "Add per-user and per-movie bias terms (always on for --architecture mf).")
    boolean biases;

    @Option(names = "--init", paramLabel = "uniform|glorot", description = "Embedding init: Keras's uniform(-0.05, 0.05) or glorot. Default: ${DEFAULT-VALUE}.")
    String init = "uniform";

    @Option(names = "--l2", paramLabel = "X", description = "L2 on touched embedding rows of both sides (Keras l2(X)). Default: 0.")
    Float l2;

    @Option(names = "--l2-user", paramLabel = "X", description = "L2 on user rows (overrides --l2).")
    Float l2User;

    @Option(names = "--l2-movie", paramLabel = "X", description = "L2 on movie rows (overrides --l2).")
    Float l2Movie;

    // ---- optimization -----------------------------------------------------------
    @Option(names = "--optimizer", paramLabel = "adam|adagrad|sgd", description = "Optimizer of everything. Default: ${DEFAULT-VALUE}.")
    String optimizer = "adam";

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate. Default: ${DEFAULT-VALUE} (the tutorial's).")
    float lr = TrainConfig.TUTORIAL_LEARNING_RATE;

    @Option(names = "--sparse-optimizer", paramLabel = "adam|adagrad|sgd", description = "Optimizer of the embedding rows (default: --optimizer).")
    String sparseOptimizer;

    @Option(names = "--sparse-lr", paramLabel = "X", description = "Learning rate of the embedding rows (default: --lr).")
    Float sparseLr;

    @Option(names = "--adam-steps", paramLabel = "per-row|global",
            description = "Sparse Adam's bias-correction step: per row (default) or global (PyTorch SparseAdam). See docs/kernels.md.")
    String adamSteps = "per-row";

    @Option(names = "--epochs", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int epochs = 5;

    @Option(names = "--batch-size", paramLabel = "N", description = "Default: ${DEFAULT-VALUE} (the tutorial's).")
    int batchSize = TrainConfig.TUTORIAL_BATCH_SIZE;

    @Option(names = "--val-fraction", paramLabel = "X", description = "Held-out fraction. Default: ${DEFAULT-VALUE} (Keras validation_split).")
    double valFraction = 0.05;

    @Option(names = "--split", paramLabel = "random|temporal", description = "random holdout, or each user's latest ratings. Default: ${DEFAULT-VALUE}.")
    String split = "random";

    @Option(names = "--seed", paramLabel = "N", description = "Initial weights, split, shuffles (and the twin). Default: ${DEFAULT-VALUE}.")
    long seed = TrainConfig.DEFAULT_SEED;

    @Option(names = "--early-stopping", paramLabel = "N", description = "Stop after N epochs without improvement of --monitor; 0: off. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--monitor", paramLabel = "val_loss|val_mae", description = "What early stopping watches. Default: ${DEFAULT-VALUE}.")
    String monitor = "val_loss";

    @Option(names = "--restore-best", negatable = true, description = "With early stopping, keep the best epoch's weights. Default: on.")
    boolean restoreBest = true;

    // ---- machine ------------------------------------------------------------
    @Option(names = "--device", paramLabel = "auto|cpu|cuda", description = "Default: ${DEFAULT-VALUE}.")
    String device = "auto";

    @Option(names = "--threads", paramLabel = "N",
            description = "0: chosen for the engine (fused: up to 2; nd4j: 2 when the machine has more than 2 cores). "
                    + "1 runs the whole step on one thread. 2, fused: each batch's user-table update runs on a helper "
                    + "thread beside the next batch's step (same result, bit for bit); nd4j: the sparse updates run on a "
                    + "helper beside the rest of the backward pass, ND4J and BLAS keep one thread. "
                    + "Default: ${DEFAULT-VALUE}.")
    int threads = 0;

    @Option(names = "--engine", paramLabel = "fused|nd4j|reference",
            description = "fused: the whole step in native code (no ND4J); nd4j: dense layers in ND4J; reference: "
                    + "plain Java (slow). Default: ${DEFAULT-VALUE}.")
    String engine = "fused";

    @Option(names = "--tower", paramLabel = "ops|dl4j", description = "The nd4j engine's dense layers: raw ND4J ops or a DL4J network. Default: ${DEFAULT-VALUE}.")
    String tower = "ops";

    // ---- output -------------------------------------------------------------
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory: the saved model, its checkpoint and history. Default: runs/<timestamp>, with runs/latest linking to it.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint.")
    boolean resume;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write config, data, baselines and every epoch as JSON.")
    Path report;

    @Option(names = "--no-progress", description = "No progress bar even on a terminal.")
    boolean noProgress;

    @Override
    public DebugOption debug() {
        return debug;
    }

    static <E extends Enum<E>> E choice(String flag, String value, Class<E> type) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(normalized)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException(flag + ": '" + value + "' is not one of " + allowed);
    }

    ModelConfig modelConfig() {
        boolean mf = switch (architecture.trim().toLowerCase(Locale.ROOT)) {
            case "tower" -> false;
            case "mf", "dot" -> true;
            default -> throw new IllegalArgumentException("--architecture: '" + architecture + "' is not one of tower, mf");
        };
        int base = embeddingDim != null ? embeddingDim : 8;
        int du = userDim != null ? userDim : base;
        int di = movieDim != null ? movieDim : base;
        ModelConfig config = mf ? ModelConfig.matrixFactorization(du).withDims(du, di) : ModelConfig.tutorial().withDims(du, di);
        if (hidden != null) {
            if (mf) {
                throw new IllegalArgumentException("--hidden: an mf model has no hidden layers (use --architecture tower)");
            }
            config = config.withHidden(parseHidden(hidden));
        }
        config = config.withActivation(choice("--activation", activation, ModelConfig.Activation.class))
                .withEmbeddingInit(choice("--init", init, ModelConfig.EmbeddingInit.class));
        if (biases || mf) {
            config = config.withBiases(true, true);
        }
        float base2 = l2 != null ? l2 : 0f;
        return config.withL2(l2User != null ? l2User : base2, l2Movie != null ? l2Movie : base2);
    }

    static List<Integer> parseHidden(List<String> values) {
        if (values.size() == 1 && (values.get(0).isBlank() || values.get(0).equalsIgnoreCase("none"))) {
            return List.of();
        }
        Integer[] widths = new Integer[values.size()];
        for (int i = 0; i < widths.length; i++) {
            try {
                widths[i] = Integer.parseInt(values.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--hidden: '" + values.get(i) + "' is not a layer width (e.g. --hidden 32,4 or --hidden none)");
            }
        }
        return List.of(widths);
    }

    TrainConfig trainConfig() {
        SparseOptimizer.Kind denseKind = choice("--optimizer", optimizer, SparseOptimizer.Kind.class);
        SparseOptimizer.Kind sparseKind = sparseOptimizer == null ? denseKind
                : choice("--sparse-optimizer", sparseOptimizer, SparseOptimizer.Kind.class);
        SparseOptimizer sparse = SparseOptimizer.of(sparseKind, sparseLr != null ? sparseLr : lr)
                .withAdamSteps(choice("--adam-steps", adamSteps, AdamSteps.class));
        TrainConfig.EarlyStopping stopping = new TrainConfig.EarlyStopping(
                choice("--monitor", monitor, TrainConfig.Monitor.class), patience, restoreBest, 0);
        return new TrainConfig(modelConfig(), epochs, batchSize, seed, DenseOptimizer.of(denseKind, lr), sparse,
                choice("--engine", engine, TrainConfig.EngineKind.class), choice("--tower", tower, Tower.Kind.class),
                threads, stopping);
    }

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = System.out;
        TrainConfig config = trainConfig();
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction: " + valFraction + " is not in [0, 1)");
        }
        Device.Choice deviceChoice = RunDirs.trainingDevice(device);
        Path runDir = out != null ? out : RunDirs.newRunDir(Path.of("runs"));
        if (resume && !Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("--resume: run directory " + runDir + " does not exist (give it with --out)");
        }

        DataSpec spec = data.spec(seed);
        LoadedData loaded = Datasets.load(spec);
        stdout.printf(Locale.ROOT, "data      %s (%.2fs)%n", loaded.description(), loaded.loadSeconds());
        for (String note : loaded.notes()) {
            stdout.println("          " + note);
        }
        Split cut = switch (choice("--split", split, SplitKind.class)) {
            case RANDOM -> Splits.random(loaded.ratings(), valFraction, seed);
            case TEMPORAL -> Splits.temporal(loaded.ratings(), valFraction);
        };
        stdout.printf(Locale.ROOT, "split     %s: %,d train, %,d validation (%,d with a user or movie unseen in training)%n",
                cut.description(), cut.train().length, cut.validation().length, cut.unseenValidation());
        stdout.println("device    " + deviceChoice.reason());
        List<Baselines.Baseline> baselines = Baselines.compute(loaded.ratings(), cut);
        for (Baselines.Baseline b : baselines) {
            stdout.printf(Locale.ROOT, "baseline  %-10s val_rmse %.4f  val_mae %.4f%n", b.name(), b.rmse(), b.mae());
        }
        stdout.println("model     " + describe(config));
        stdout.println("run       " + runDir);

        Trainer trainer = new Trainer(config).addListener(new EpochLogger(stdout));
        if (!noProgress && ProgressListener.terminal()) {
            trainer.addListener(new ProgressListener(stdout));
        }
        TrainingResult result = trainer.fit(loaded.ratings(), cut, loaded.movies(), runDir, resume);

        Map<String, String> provenance = new LinkedHashMap<>(result.model().provenance());
        provenance.put("data", loaded.description());
        Path source = Path.of(spec.data());
        if (Files.exists(source)) {
            provenance.put("data.path", source.toAbsolutePath().toString());
        }
        provenance.put("data.fingerprint", loaded.fingerprint());
        provenance.put("device", deviceChoice.device().id());
        for (Baselines.Baseline b : baselines) {
            provenance.put("baseline." + b.name() + ".valRmse", Double.toString(b.rmse()));
            provenance.put("baseline." + b.name() + ".valMae", Double.toString(b.mae()));
        }
        // Every rating a user gave, validation included, so recommend never suggests a movie already rated.
        RatingModel model = result.model().withProvenance(provenance).withRatedMovies(RatedMovies.of(loaded.ratings()));
        // The run directory is the model directory: predict/recommend --model runs/latest just work,
        // and ModelStore.save leaves the checkpoint beside the model alone.
        Path modelDir = runDir;
        ModelStore.save(model, modelDir);
        RunDirs.linkLatest(runDir);
        if (report != null) {
            Reports.write(report, config, loaded, cut, baselines, result);
        }
        stdout.println(result.stopReason() + String.format(Locale.ROOT, " in %.1fs", result.seconds()));
        if (result.best() != null) {
            stdout.printf(Locale.ROOT, "best      epoch %d: val_rmse %.4f  val_mae %.4f  (clipped val_rmse %.4f)%n",
                    result.best().epoch(), result.best().valRmse(), result.best().valMae(), result.best().valRmseClipped());
        }
        stdout.println("saved     " + modelDir);
        return 0;
    }

    enum SplitKind { RANDOM, TEMPORAL }

    static String describe(TrainConfig c) {
        ModelConfig m = c.model();
        String net = m.architecture() == ModelConfig.Architecture.DOT
                ? "mf " + m.userDim() + "-dim dot product"
                : "tower " + m.userDim() + "+" + m.itemDim() + " -> " + (m.hidden().isEmpty() ? "" : m.hidden() + " " + m.activation().id() + " -> ") + "1";
        return String.format(Locale.ROOT, "%s%s%s, %s lr %s (sparse %s lr %s), batch %d, %d epochs, engine %s",
                net, m.userBias() ? " + biases" : "", m.l2User() > 0 || m.l2Item() > 0 ? ", l2 " + m.l2User() + "/" + m.l2Item() : "",
                c.dense().kind().id(), c.dense().learningRate(), c.sparse().kind().id(), c.sparse().learningRate(),
                c.batchSize(), c.epochs(), c.engine().id() + (c.engine() == TrainConfig.EngineKind.ND4J ? "/" + c.tower().id() : ""));
    }

    static String timestamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
