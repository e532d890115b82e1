package org.scatterlens.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.scatterlens.data.LoadedData;
import org.scatterlens.data.Split;
import org.scatterlens.eval.Baselines;
import org.scatterlens.train.EpochMetrics;
import org.scatterlens.train.TrainConfig;
import org.scatterlens.train.TrainingResult;

/**
 * {@code train --report FILE.json}: config, data, baselines, every epoch and
 * the best one, written atomically.
 */
final class Reports {
    private Reports() {}

    static Map<String, Object> epoch(EpochMetrics m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", m.epoch());
        e.put("seconds", m.seconds());
        e.put("ratingsPerSecond", m.ratingsPerSecond());
        e.put("loss", m.loss());
        e.put("mae", m.mae());
        e.put("valLoss", m.valLoss());
        e.put("valRmse", m.valRmse());
        e.put("valMae", m.valMae());
        e.put("valRmseClipped", m.valRmseClipped());
        return e;
    }

    static void write(Path file, TrainConfig config, LoadedData data, Split split, List<Baselines.Baseline> baselines,
                      TrainingResult result) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("description", data.description());
        d.put("fingerprint", data.fingerprint());
        d.put("ratings", data.ratings().size());
        d.put("users", data.ratings().users().size());
        d.put("movies", data.ratings().items().size());
        d.put("loadSeconds", data.loadSeconds());
        if (data.noiseFloorRmse().isPresent()) {
            d.put("noiseFloorRmse", data.noiseFloorRmse().getAsDouble());
        }
        d.put("split", split.description());
        d.put("train", split.train().length);
        d.put("validation", split.validation().length);
        d.put("unseenValidation", split.unseenValidation());
        d.put("notes", data.notes());
        root.put("data", d);
        Map<String, Object> b = new LinkedHashMap<>();
        for (Baselines.Baseline baseline : baselines) {
            b.put(baseline.name(), Map.of("valRmse", baseline.rmse(), "valMae", baseline.mae()));
        }
        root.put("baselines", b);
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochMetrics m : result.history()) {
            epochs.add(epoch(m));
        }
        root.put("epochs", epochs);
        root.put("best", result.best() == null ? null : epoch(result.best()));
        root.put("stopReason", result.stopReason());
        root.put("seconds", result.seconds());

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString() + ".", ".tmp");
        try {
            json.writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
