package org.scatterlens.model;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.scatterlens.data.IdIndex;
import org.scatterlens.data.Movies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link RatingModel} on disk: a directory of model.json, .npy tables and a
 * few text files, readable by numpy and pandas. docs/model-format.md is the
 * format's description; {@link #FORMAT_VERSION} its version.
 *
 * <p>{@link #save} writes atomically ({@link AtomicFiles#replaceDirectory}):
 * a crash leaves the old model or the new one. Other files in the directory
 * (a training checkpoint, a report) are kept. {@link #load} checks the
 * format version and every file's presence, dtype and shape against
 * model.json, and names the file, what it expected and what it found.
 */
public final class ModelStore {
    /** The format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** model.json's "format" value: tells a model directory from any other directory with a JSON file. */
    public static final String FORMAT_NAME = "scatterlens-model";

    public static final String MODEL_JSON = "model.json";
    public static final String USER_EMBEDDING = "user_embedding.npy";
    public static final String MOVIE_EMBEDDING = "movie_embedding.npy";
    public static final String USER_BIAS = "user_bias.npy";
    public static final String MOVIE_BIAS = "movie_bias.npy";
    public static final String USER_IDS = "user_ids.npy";
    public static final String MOVIE_IDS = "movie_ids.npy";
    public static final String MOVIE_COUNTS = "movie_counts.npy";
    public static final String RATED_OFFSETS = "rated_offsets.npy";
    public static final String RATED_MOVIES = "rated_movies.npy";
    public static final String MOVIES_TSV = "movies.tsv";
    public static final String HISTORY_CSV = "history.csv";
    public static final String HISTORY_JSON = "history.json";

    /** movies.tsv's header line. */
    public static final String MOVIES_HEADER = "movieId\ttitle\tyear\tgenres";

    /** history.csv's columns: Keras's CSVLogger ones first, then ours. */
    public static final List<String> HISTORY_COLUMNS = List.of("epoch", "loss", "mae", "val_loss", "val_mae",
            "seconds", "ratings_per_second", "val_rmse");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Exact decimal text, so that a float read back is the float written (see floatOf).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ModelStore() {}

    /** Keras's name of dense layer {@code i}'s weight file. */
    public static String denseKernel(int i) {
        return "dense_" + i + "_kernel.npy";
    }

    /** Keras's name of dense layer {@code i}'s bias file. */
    public static String denseBias(int i) {
        return "dense_" + i + "_bias.npy";
    }

    /**
     * Writes {@code model} to {@code dir}, atomically replacing a model already there.
     * A symbolic link (runs/latest) is followed: the directory it names is replaced. Files in {@code dir}
     * that are not part of the model ({@link #isModelFile}) are carried into the new version.
     *
     * @throws IllegalArgumentException when {@code dir} is a file, or a directory without model.json that holds
     *                                  a subdirectory (someone's folder, not ours to rename)
     */
    public static void save(RatingModel model, Path dir) throws IOException {
        save(model, dir, name -> {});
    }

    /** {@link #save} calling {@code afterFile} with each file's name once written (tests inject failures here). */
    static void save(RatingModel model, Path dir, Consumer<String> afterFile) throws IOException {
        Path target = resolveLink(dir);
        checkReplaceable(target);
        ObjectNode json = describe(model);
        AtomicFiles.replaceDirectory(target, ModelStore::isModelFile, staging -> writeFiles(model, json, staging, afterFile));
    }

    /**
     * Reads the model in {@code dir}. When {@code dir} is missing because a save
     * crashed between its two renames, reads the previous version kept beside it.
     *
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static RatingModel load(Path dir) throws IOException {
        Path target = resolveLink(dir);
        if (!Files.exists(target) && Files.isDirectory(AtomicFiles.previousOf(target.toAbsolutePath().normalize()))) {
            target = AtomicFiles.previousOf(target.toAbsolutePath().normalize());
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException("model directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(target)) {
            throw new ModelFormatException(dir + " is a file, not a model directory");
        }
        Path modelJson = target.resolve(MODEL_JSON);
        if (!Files.isRegularFile(modelJson)) {
            List<String> names = listNames(target);
            throw new ModelFormatException(names.isEmpty()
                    ? "model directory " + dir + " is empty (no " + MODEL_JSON + ")"
                    : dir + " is not a ScatterLens model directory: no " + MODEL_JSON + " among its "
                    + names.size() + " entries (" + preview(names) + ")");
        }
        JsonNode json = readModelJson(modelJson);
        return readModel(target, modelJson, json);
    }

    /** Thrown by {@link #load} for a directory that is not a readable model of this format. */
    public static final class ModelFormatException extends IOException {
        public ModelFormatException(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- saving

    private static Path resolveLink(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) && Files.exists(dir)) {
            return dir.toRealPath();
        }
        return dir;
    }

    /** Whether {@code name} is one of the files a model directory consists of (those {@link #save} replaces). */
    public static boolean isModelFile(String name) {
        return MODEL_FILES.contains(name) || DENSE_FILE.matcher(name).matches();
    }

    private static final Set<String> MODEL_FILES = Set.of(MODEL_JSON, USER_EMBEDDING, MOVIE_EMBEDDING,
            USER_BIAS, MOVIE_BIAS, USER_IDS, MOVIE_IDS, MOVIE_COUNTS, RATED_OFFSETS, RATED_MOVIES, MOVIES_TSV, HISTORY_CSV,
            HISTORY_JSON);
    private static final Pattern DENSE_FILE = Pattern.compile("dense_\\d+_(kernel|bias)\\.npy");

    /**
     * A model directory, or one holding only plain files (a run's checkpoint and report before its first
     * model), may be replaced: its other files are carried over. A directory with subdirectories and no
     * model.json looks like someone's folder, which a save should not rename.
     */
    private static void checkReplaceable(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("cannot save a model to " + target + ": it is a file");
        }
        if (Files.isRegularFile(target.resolve(MODEL_JSON))) {
            return;
        }
        for (String name : listNames(target)) {
            if (!Files.isRegularFile(target.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("refusing to save a model into " + target + ": it is not a model"
                        + " directory (no " + MODEL_JSON + ") and holds " + name + ", which is not a plain file;"
                        + " choose a new or empty directory");
            }
        }
    }

    /** model.json for {@code model}: everything but the arrays, plus the list of files with their shapes. */
    private static ObjectNode describe(RatingModel model) {
        ModelConfig c = model.config();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("formatVersion", FORMAT_VERSION);
        ObjectNode config = root.putObject("config");
        config.put("architecture", c.architecture().id());
        config.put("userDim", c.userDim());
        config.put("itemDim", c.itemDim());
        ArrayNode hidden = config.putArray("hidden");
        c.hidden().forEach(hidden::add);
        config.put("activation", c.activation().id());
        config.put("userBias", c.userBias());
        config.put("itemBias", c.itemBias());
        config.put("embeddingInit", c.embeddingInit().id());
        config.put("l2User", c.l2User());
        config.put("l2Item", c.l2Item());
        root.put("mean", model.mean());
        root.putArray("ratingRange").add(model.minRating()).add(model.maxRating());
        root.put("users", model.users().size());
        root.put("movies", model.items().size());
        root.put("epochs", model.history().size());
        Map<String, String> provenance = model.provenance();
        String fingerprint = provenance.get("data.fingerprint");
        if (fingerprint == null) {
            root.putNull("dataFingerprint");
        } else {
            root.put("dataFingerprint", fingerprint);
        }
        ObjectNode prov = root.putObject("provenance");
        provenance.forEach(prov::put);
        ArrayNode layers = root.putArray("layers");
        for (int l = 0; l < model.layers().size(); l++) {
            DenseLayer layer = model.layers().get(l);
            layers.addObject().put("kernel", denseKernel(l)).put("bias", denseBias(l))
                    .put("in", layer.in()).put("out", layer.out()).put("activation", layer.activation().id());
        }
        ObjectNode files = root.putObject("files");
        expectedArrays(c, model.users().size(), model.items().size(), model.ratedMovies().map(RatedMovies::size).orElse(-1))
                .forEach((name, spec) -> files.set(name, spec.toJson()));
        if (model.movies().size() > 0) {
            files.putObject(MOVIES_TSV).put("rows", model.movies().size());
        }
        files.putObject(HISTORY_CSV).put("rows", model.history().size());
        files.putObject(HISTORY_JSON).put("rows", model.history().size());
        return root;
    }

    /** One .npy file's dtype and shape. */
    private record ArraySpec(Npy.Dtype dtype, long[] shape) {
        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("dtype", dtype.descr());
            ArrayNode dims = node.putArray("shape");
            for (long d : shape) {
                dims.add(d);
            }
            return node;
        }

        String describe() {
            return "'" + dtype.descr() + "' " + Npy.shapeText(shape);
        }

        boolean sameAs(ArraySpec o) {
            return dtype == o.dtype && Arrays.equals(shape, o.shape);
        }
    }

    /**
     * The .npy files a model of this config and size has, in the order they are written.
     *
     * @param ratedPairs number of (user, movie) pairs in the rated-movie lists; negative when there are none
     */
    private static Map<String, ArraySpec> expectedArrays(ModelConfig c, int nUsers, int nItems, long ratedPairs) {
        Map<String, ArraySpec> out = new LinkedHashMap<>();
        out.put(USER_EMBEDDING, new ArraySpec(Npy.Dtype.FLOAT32, new long[] {nUsers, c.userDim()}));
        out.put(MOVIE_EMBEDDING, new ArraySpec(Npy.Dtype.FLOAT32, new long[] {nItems, c.itemDim()}));
        if (c.userBias()) {
            out.put(USER_BIAS, new ArraySpec(Npy.Dtype.FLOAT32, new long[] {nUsers}));
        }
        if (c.itemBias()) {
            out.put(MOVIE_BIAS, new ArraySpec(Npy.Dtype.FLOAT32, new long[] {nItems}));
        }
        int[] widths = c.layerWidths();
        for (int l = 0; l + 1 < widths.length; l++) {
            out.put(denseKernel(l), new ArraySpec(Npy.Dtype.FLOAT32, new long[] {widths[l], widths[l + 1]}));
            out.put(denseBias(l), new ArraySpec(Npy.Dtype.FLOAT32, new long[] {widths[l + 1]}));
        }
        out.put(USER_IDS, new ArraySpec(Npy.Dtype.INT32, new long[] {nUsers}));
        out.put(MOVIE_IDS, new ArraySpec(Npy.Dtype.INT32, new long[] {nItems}));
        out.put(MOVIE_COUNTS, new ArraySpec(Npy.Dtype.INT32, new long[] {nItems}));
        if (ratedPairs >= 0) {
            out.put(RATED_OFFSETS, new ArraySpec(Npy.Dtype.INT32, new long[] {nUsers + 1L}));
            out.put(RATED_MOVIES, new ArraySpec(Npy.Dtype.INT32, new long[] {ratedPairs}));
        }
        return out;
    }

    private static void writeFiles(RatingModel model, ObjectNode json, Path dir, Consumer<String> afterFile)
            throws IOException {
        Map<String, ArraySpec> arrays = expectedArrays(model.config(), model.users().size(), model.items().size(),
                model.ratedMovies().map(RatedMovies::size).orElse(-1));
        for (Map.Entry<String, ArraySpec> e : arrays.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue().shape();
            Path file = dir.resolve(name);
            if (e.getValue().dtype() == Npy.Dtype.FLOAT32) {
                Npy.writeFloats(file, floatsOf(model, name), shape);
            } else {
                Npy.writeInts(file, intsOf(model, name), shape);
            }
            afterFile.accept(name);
        }
        if (model.movies().size() > 0) {
            writeText(dir.resolve(MOVIES_TSV), out -> writeMovies(model.movies(), out));
            afterFile.accept(MOVIES_TSV);
        }
        writeText(dir.resolve(HISTORY_CSV), out -> writeHistoryCsv(model.history(), out));
        afterFile.accept(HISTORY_CSV);
        writeText(dir.resolve(HISTORY_JSON), out -> JSON.writeValue(out, historyJson(model.history())));
        afterFile.accept(HISTORY_JSON);
        // model.json last: a directory holding it holds everything it lists.
        writeText(dir.resolve(MODEL_JSON), out -> JSON.writeValue(out, json));
        afterFile.accept(MODEL_JSON);
    }

    private static float[] floatsOf(RatingModel model, String name) {
        return switch (name) {
            case USER_EMBEDDING -> model.userTable();
            case MOVIE_EMBEDDING -> model.itemTable();
            case USER_BIAS -> model.userBias();
            case MOVIE_BIAS -> model.itemBias();
            default -> {
                int l = layerIndex(name);
                DenseLayer layer = model.layers().get(l);
                yield name.equals(denseKernel(l)) ? layer.weights() : layer.bias();
            }
        };
    }

    private static int[] intsOf(RatingModel model, String name) {
        return switch (name) {
            case USER_IDS -> model.users().rawIds();
            case MOVIE_IDS -> model.items().rawIds();
            case MOVIE_COUNTS -> model.itemRatingCounts();
            case RATED_OFFSETS -> model.ratedMovies().orElseThrow().offsets();
            case RATED_MOVIES -> model.ratedMovies().orElseThrow().movieRows();
            default -> throw new IllegalStateException("no int array named " + name);
        };
    }

    private static int layerIndex(String denseFile) {
        String rest = denseFile.substring("dense_".length());
        return Integer.parseInt(rest.substring(0, rest.indexOf('_')));
    }

    private interface TextBody {
        void write(Writer out) throws IOException;
    }

    private static void writeText(Path file, TextBody body) throws IOException {
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8))) {
            body.write(out);
        }
    }

    /** A field of a tab-separated line: tabs and line breaks would split it, so they become spaces. */
    public static String tsvField(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static void writeMovies(Movies movies, Writer out) throws IOException {
        out.write(MOVIES_HEADER + "\n");
        for (Movies.Movie m : movies.all()) {
            out.write(m.id() + "\t" + tsvField(m.title()) + "\t" + (m.year() > 0 ? Integer.toString(m.year()) : "")
                    + "\t" + tsvField(String.join("|", m.genres())) + "\n");
        }
    }

    private static void writeHistoryCsv(List<EpochRecord> history, Writer out) throws IOException {
        out.write(String.join(",", HISTORY_COLUMNS) + "\n");
        for (EpochRecord r : history) {
            out.write(r.epoch() + "," + csvNumber(r.loss()) + "," + csvNumber(r.mae()) + "," + csvNumber(r.valLoss())
                    + "," + csvNumber(r.valMae()) + "," + csvNumber(r.seconds()) + "," + csvNumber(r.ratingsPerSecond())
                    + "," + csvNumber(r.valRmse()) + "\n");
        }
    }

    /** Keras's CSVLogger writes a NaN as {@code nan}; pandas reads it back as NaN. */
    private static String csvNumber(double v) {
        return Double.isNaN(v) ? "nan" : Double.toString(v);
    }

    private static ArrayNode historyJson(List<EpochRecord> history) {
        ArrayNode out = JSON.createArrayNode();
        for (EpochRecord r : history) {
            ObjectNode e = out.addObject();
            e.put("epoch", r.epoch());
            putNumber(e, "seconds", r.seconds());
            putNumber(e, "ratingsPerSecond", r.ratingsPerSecond());
            putNumber(e, "loss", r.loss());
            putNumber(e, "mae", r.mae());
            putNumber(e, "valLoss", r.valLoss());
            putNumber(e, "valRmse", r.valRmse());
            putNumber(e, "valMae", r.valMae());
        }
        return out;
    }

    /** JSON has no NaN: an unmeasured value is null. */
    private static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            node.putNull(key);
        } else {
            node.put(key, v);
        }
    }

    // ---------------------------------------------------------------- loading

    private static JsonNode readModelJson(Path modelJson) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(modelJson.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(modelJson + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject() || !FORMAT_NAME.equals(json.path("format").asText(null))) {
            throw new ModelFormatException(modelJson + " is not a ScatterLens model description (no \"format\": \""
                    + FORMAT_NAME + "\")");
        }
        JsonNode version = json.get("formatVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new ModelFormatException(modelJson + ": no integer formatVersion");
        }
        if (version.intValue() != FORMAT_VERSION) {
            throw new ModelFormatException(modelJson + ": format version " + version.intValue()
                    + ", this ScatterLens reads version " + FORMAT_VERSION
                    + (version.intValue() > FORMAT_VERSION ? " (written by a newer ScatterLens)" : ""));
        }
        return json;
    }

    private static RatingModel readModel(Path dir, Path modelJson, JsonNode json) throws IOException {
        Fields f = new Fields(modelJson);
        JsonNode cj = f.object(json, "config");
        ModelConfig config;
        try {
            config = new ModelConfig(
                    f.enumValue(cj, "architecture", ModelConfig.Architecture.class),
                    f.integer(cj, "userDim"), f.integer(cj, "itemDim"), f.integers(cj, "hidden"),
                    f.enumValue(cj, "activation", ModelConfig.Activation.class),
                    f.bool(cj, "userBias"), f.bool(cj, "itemBias"),
                    f.enumValue(cj, "embeddingInit", ModelConfig.EmbeddingInit.class),
                    f.floatValue(cj, "l2User"), f.floatValue(cj, "l2Item"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(modelJson + ": bad config: " + e.getMessage());
        }
        float mean = f.floatValue(json, "mean");
        JsonNode range = json.get("ratingRange");
        if (range == null || !range.isArray() || range.size() != 2) {
            throw new ModelFormatException(modelJson + ": ratingRange must be [min, max]");
        }
        float minRating = f.floatOf(range.get(0), "ratingRange[0]");
        float maxRating = f.floatOf(range.get(1), "ratingRange[1]");
        int nUsers = f.integer(json, "users");
        int nItems = f.integer(json, "movies");
        Map<String, String> provenance = new LinkedHashMap<>();
        JsonNode prov = json.get("provenance");
        if (prov != null && prov.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = prov.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                provenance.put(e.getKey(), e.getValue().asText());
            }
        }
        List<ModelConfig.Activation> activations = new ArrayList<>();
        JsonNode layersJson = json.path("layers");
        int[] widths = config.layerWidths();
        int nLayers = Math.max(widths.length - 1, 0);
        if (!layersJson.isArray() || layersJson.size() != nLayers) {
            throw new ModelFormatException(modelJson + ": \"layers\" lists " + (layersJson.isArray() ? layersJson.size() : 0)
                    + " dense layers, the config needs " + nLayers);
        }
        for (JsonNode layer : layersJson) {
            activations.add(f.enumValue(layer, "activation", ModelConfig.Activation.class));
        }

        JsonNode files = f.object(json, "files");
        long ratedPairs = -1;
        if (files.has(RATED_MOVIES)) {
            JsonNode shape = files.path(RATED_MOVIES).path("shape");
            if (!shape.isArray() || shape.size() != 1 || !shape.get(0).canConvertToLong()) {
                throw new ModelFormatException(modelJson + ": files." + RATED_MOVIES + ".shape must be [pairs]");
            }
            ratedPairs = shape.get(0).longValue();
        }
        Map<String, ArraySpec> expected = expectedArrays(config, nUsers, nItems, ratedPairs);
        for (Map.Entry<String, ArraySpec> e : expected.entrySet()) {
            ArraySpec listed = f.arraySpec(files, e.getKey());
            if (!listed.sameAs(e.getValue())) {
                throw new ModelFormatException(modelJson + " lists " + e.getKey() + " as " + listed.describe()
                        + ", but its config, users and movies need " + e.getValue().describe());
            }
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(file + " is missing (" + MODEL_JSON + " lists it as "
                        + listed.describe() + ")");
            }
        }
        for (String name : new String[] {HISTORY_CSV, HISTORY_JSON}) {
            f.object(files, name);
            requirePresent(dir.resolve(name));
        }

        float[] userTable = floats(dir.resolve(USER_EMBEDDING), expected.get(USER_EMBEDDING).shape());
        float[] itemTable = floats(dir.resolve(MOVIE_EMBEDDING), expected.get(MOVIE_EMBEDDING).shape());
        float[] userBias = config.userBias() ? floats(dir.resolve(USER_BIAS), nUsers) : new float[0];
        float[] itemBias = config.itemBias() ? floats(dir.resolve(MOVIE_BIAS), nItems) : new float[0];
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < nLayers; l++) {
            float[] w = floats(dir.resolve(denseKernel(l)), widths[l], widths[l + 1]);
            float[] b = floats(dir.resolve(denseBias(l)), widths[l + 1]);
            layers.add(new DenseLayer(widths[l], widths[l + 1], w, b, activations.get(l)));
        }
        IdIndex users = idIndex(dir.resolve(USER_IDS), nUsers);
        IdIndex items = idIndex(dir.resolve(MOVIE_IDS), nItems);
        int[] counts = ints(dir.resolve(MOVIE_COUNTS), nItems);
        RatedMovies rated = null;
        if (ratedPairs >= 0) {
            int[] offsets = ints(dir.resolve(RATED_OFFSETS), nUsers + 1L);
            int[] movieRows = ints(dir.resolve(RATED_MOVIES), ratedPairs);
            try {
                rated = new RatedMovies(offsets, movieRows);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(dir.resolve(RATED_OFFSETS) + ", " + RATED_MOVIES + ": " + e.getMessage());
            }
        }
        Movies movies = Movies.empty();
        if (files.has(MOVIES_TSV)) {
            movies = readMovies(dir.resolve(MOVIES_TSV), f.integer(files.get(MOVIES_TSV), "rows"));
        }
        List<EpochRecord> history = readHistory(dir.resolve(HISTORY_JSON), f.integer(files.get(HISTORY_JSON), "rows"));
        try {
            RatingModel model = new RatingModel(config, users, items, userTable, itemTable, userBias, itemBias, layers,
                    mean, minRating, maxRating, history, provenance, movies, counts);
            return rated == null ? model : model.withRatedMovies(rated);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(dir + ": " + e.getMessage());
        }
    }

    /** Npy.readFloats with its complaints as ModelFormatException, so that callers catch one type. */
    private static float[] floats(Path file, long... shape) throws IOException {
        try {
            return Npy.readFloats(file, shape);
        } catch (Npy.NpyException e) {
            throw new ModelFormatException(e.getMessage());
        }
    }

    private static int[] ints(Path file, long... shape) throws IOException {
        try {
            return Npy.readInts(file, shape);
        } catch (Npy.NpyException e) {
            throw new ModelFormatException(e.getMessage());
        }
    }

    private static void requirePresent(Path file) throws ModelFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + " is missing (" + MODEL_JSON + " lists it)");
        }
    }

    private static IdIndex idIndex(Path file, int n) throws IOException {
        int[] ids = ints(file, n);
        try {
            return IdIndex.ofSorted(ids);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage());
        }
    }

    private static Movies readMovies(Path file, int rows) throws IOException {
        requirePresent(file);
        Movies movies = readMoviesTsv(file);
        if (movies.size() != rows) {
            throw new ModelFormatException(file + ": " + movies.size() + " movies, " + MODEL_JSON + " lists " + rows);
        }
        return movies;
    }

    /**
     * A movies.tsv as {@link #save} writes it: a header line, then id, title, year (empty when unknown)
     * and '|'-joined genres, tab-separated, UTF-8.
     *
     * @throws ModelFormatException naming the file and line of a malformed line
     */
    public static Movies readMoviesTsv(Path file) throws IOException {
        List<Movies.Movie> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!MOVIES_HEADER.equals(header)) {
                throw new ModelFormatException(file + ": header " + (header == null ? "missing" : "'" + header + "'")
                        + ", expected '" + MOVIES_HEADER.replace("\t", "<TAB>") + "'");
            }
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw new ModelFormatException(file + " line " + lineNo + ": " + f.length + " fields, expected 4: " + line);
                }
                try {
                    int year = f[2].isEmpty() ? 0 : Integer.parseInt(f[2]);
                    List<String> genres = f[3].isEmpty() ? List.of() : List.of(f[3].split("\\|"));
                    out.add(new Movies.Movie(Integer.parseInt(f[0]), f[1], year, genres));
                } catch (NumberFormatException e) {
                    throw new ModelFormatException(file + " line " + lineNo + ": bad id or year: " + line);
                }
            }
        }
        try {
            return Movies.of(out);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage());
        }
    }

    private static List<EpochRecord> readHistory(Path file, int rows) throws IOException {
        requirePresent(file);
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isArray()) {
            throw new ModelFormatException(file + ": expected a JSON array of epochs");
        }
        if (json.size() != rows) {
            throw new ModelFormatException(file + ": " + json.size() + " epochs, " + MODEL_JSON + " lists " + rows);
        }
        Fields f = new Fields(file);
        List<EpochRecord> out = new ArrayList<>();
        for (JsonNode e : json) {
            out.add(new EpochRecord(f.integer(e, "epoch"), f.doubleOrNaN(e, "seconds"), f.doubleOrNaN(e, "ratingsPerSecond"),
                    f.doubleOrNaN(e, "loss"), f.doubleOrNaN(e, "mae"), f.doubleOrNaN(e, "valLoss"),
                    f.doubleOrNaN(e, "valRmse"), f.doubleOrNaN(e, "valMae")));
        }
        return out;
    }

    private static List<String> listNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    private static String preview(List<String> names) {
        int shown = Math.min(names.size(), 5);
        return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", ..." : "");
    }

    /** Typed reads of model.json fields whose errors name the file and the field. */
    private record Fields(Path file) {
        JsonNode object(JsonNode parent, String key) throws ModelFormatException {
            JsonNode n = parent.get(key);
            if (n == null || !n.isObject()) {
                throw new ModelFormatException(file + ": missing object \"" + key + "\"");
            }
            return n;
        }

        int integer(JsonNode parent, String key) throws ModelFormatException {
            JsonNode n = parent.get(key);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be an integer, found " + n);
            }
            return n.intValue();
        }

        List<Integer> integers(JsonNode parent, String key) throws ModelFormatException {
            JsonNode n = parent.get(key);
            if (n == null || !n.isArray()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be an array of integers, found " + n);
            }
            List<Integer> out = new ArrayList<>();
            for (JsonNode v : n) {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw new ModelFormatException(file + ": \"" + key + "\" must be an array of integers, found " + n);
                }
                out.add(v.intValue());
            }
            return out;
        }

        boolean bool(JsonNode parent, String key) throws ModelFormatException {
            JsonNode n = parent.get(key);
            if (n == null || !n.isBoolean()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be true or false, found " + n);
            }
            return n.booleanValue();
        }

        float floatValue(JsonNode parent, String key) throws ModelFormatException {
            return floatOf(parent.get(key), key);
        }

        /** Float.parseFloat of the exact decimal text: Float.toString's output comes back bit for bit. */
        float floatOf(JsonNode n, String key) throws ModelFormatException {
            if (n == null || !n.isNumber()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be a number, found " + n);
            }
            return Float.parseFloat(n.isBigDecimal() ? n.decimalValue().toString() : n.asText());
        }

        double doubleOrNaN(JsonNode parent, String key) throws ModelFormatException {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return Double.NaN;
            }
            if (!n.isNumber()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be a number or null, found " + n);
            }
            return Double.parseDouble(n.isBigDecimal() ? n.decimalValue().toString() : n.asText());
        }

        <E extends Enum<E>> E enumValue(JsonNode parent, String key, Class<E> type) throws ModelFormatException {
            JsonNode n = parent.get(key);
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(e.name().toLowerCase(Locale.ROOT));
            }
            if (n != null && n.isTextual()) {
                for (E e : type.getEnumConstants()) {
                    if (e.name().equalsIgnoreCase(n.textValue())) {
                        return e;
                    }
                }
            }
            throw new ModelFormatException(file + ": \"" + key + "\" is " + n + ", allowed: " + String.join(", ", allowed));
        }

        ArraySpec arraySpec(JsonNode files, String name) throws ModelFormatException {
            JsonNode n = files.get(name);
            if (n == null || !n.isObject()) {
                throw new ModelFormatException(file + ": \"files\" does not list " + name + ", which this model needs");
            }
            Npy.Dtype dtype = null;
            for (Npy.Dtype d : Npy.Dtype.values()) {
                if (d.descr().equals(n.path("dtype").asText())) {
                    dtype = d;
                }
            }
            JsonNode shape = n.get("shape");
            if (dtype == null || shape == null || !shape.isArray()) {
                throw new ModelFormatException(file + ": files." + name + " must have a dtype ('<f4' or '<i4') and a shape, found " + n);
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).canConvertToLong()) {
                    throw new ModelFormatException(file + ": files." + name + ".shape is not a list of integers: " + shape);
                }
                dims[i] = shape.get(i).longValue();
            }
            return new ArraySpec(dtype, dims);
        }
    }
}
