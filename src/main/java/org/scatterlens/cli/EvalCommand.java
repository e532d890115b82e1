package org.scatterlens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scatterlens.data.Datasets;
import org.scatterlens.data.LoadedData;
import org.scatterlens.eval.Evaluator;
import org.scatterlens.model.EpochRecord;
import org.scatterlens.model.RatingModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scatterlens eval --model DIR --data X}: a saved model's errors on any rating set. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on a rating set (RMSE, MAE, clipped RMSE).")
public final class EvalCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (runs/latest, or a runs folder: its latest).")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the synthetic twin. Default: ${DEFAULT-VALUE}.")
    long seed = org.scatterlens.train.TrainConfig.DEFAULT_SEED;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws IOException {
        RatingModel m = ModelOption.load(model);
        LoadedData loaded = Datasets.load(data.spec(seed));
        System.out.println("data     " + loaded.description());
        Evaluator.Result r = Evaluator.evaluate(m, loaded.ratings());
        System.out.printf(Locale.ROOT, "model    %s (%s)%n", model, m.provenance().getOrDefault("data", "data unknown"));
        System.out.printf(Locale.ROOT, "rmse     %.4f%nmae      %.4f%nrmse (clipped to [%.1f, %.1f])  %.4f%n",
                r.stats().rmse(), r.stats().mae(), m.minRating(), m.maxRating(), r.stats().clippedRmse());
        if (r.unknown() > 0) {
            System.out.printf(Locale.ROOT, "unknown  %,d of %,d ratings have a user or movie the model never saw (predicted as the training mean %.3f)%n",
                    r.unknown(), r.ratings(), m.mean());
        }
        if (!m.history().isEmpty()) {
            EpochRecord last = m.history().get(m.history().size() - 1);
            System.out.printf(Locale.ROOT, "trained  %d epochs; last val_rmse %.4f, val_mae %.4f on its own split%n",
                    last.epoch(), last.valRmse(), last.valMae());
        }
        return 0;
    }
}
