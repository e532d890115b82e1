package org.scatterlens.infer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.scatterlens.data.Movies;
import org.scatterlens.model.AtomicFiles;
import org.scatterlens.model.EpochRecord;
import org.scatterlens.model.RatingModel;

/**
 * The tutorial's pictures of a trained model, as PNG: the training curves
 * (train and validation MAE per epoch against the per-movie-mean baseline)
 * and a 2-D PCA map of the movie embeddings coloured by genre, with the most
 * rated titles labelled.
 *
 * <p>t-SNE is not offered: the one maintained Java implementation on Maven
 * Central (Smile) is GPL-3.0, which this project does not take on.
 */
public final class Plots {
    /**
     * What the embedding map shows.
     *
     * @param minRatings movies with fewer training ratings are left out (their embeddings barely moved from the init)
     * @param maxPoints  at most this many movies, the most rated; the PCA is fitted on them
     * @param labels     how many of the most rated movies get their title written beside them
     * @param genres     how many genres get their own colour; the rest are "other"
     */
    public record MapOptions(int minRatings, int maxPoints, int labels, int genres) {
        public MapOptions {
            if (minRatings < 0) {
                throw new IllegalArgumentException("--min-ratings " + minRatings + " must be >= 0");
            }
            if (maxPoints < 2) {
                throw new IllegalArgumentException("--max-points " + maxPoints + " must be >= 2");
            }
            if (labels < 0) {
                throw new IllegalArgumentException("--labels " + labels + " must be >= 0");
            }
            if (genres < 1 || genres > PALETTE.length) {
                throw new IllegalArgumentException("--genres " + genres + " must be in [1, " + PALETTE.length + "]");
            }
        }

        public static MapOptions defaults() {
            return new MapOptions(0, 3000, 20, 9);
        }
    }

    /** Provenance keys of the baselines the curves draw. */
    public static final String BASELINE_MOVIE_MEAN_MAE = "baseline.movieMean.valMae";
    public static final String BASELINE_GLOBAL_MEAN_MAE = "baseline.globalMean.valMae";

    static final int WIDTH = 1000;
    static final int HEIGHT = 640;
    static final int MAP_SIZE = 1000;

    /** Tableau 10, minus grey, which is "other". Distinct for most colour-blind readers. */
    private static final Color[] PALETTE = {
            new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
            new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0x1B9E77)};
    private static final Color OTHER = new Color(0xBAB0AC);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Plots() {}

    /** Writes {@code chart} to {@code file} as a PNG, atomically. */
    public static void writePng(XYChart chart, Path file) throws IOException {
        AtomicFiles.writeFile(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Train and validation MAE per epoch, and the per-movie-mean baseline's validation MAE
     * (from the provenance) as a dashed line, as the tutorial plots them.
     *
     * @throws IllegalArgumentException when the model has no training history
     */
    public static XYChart trainingCurves(RatingModel model) {
        List<EpochRecord> history = model.history();
        if (history.isEmpty()) {
            throw new IllegalArgumentException("the model has no training history to plot");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Training curves: mean absolute error per epoch")
                .xAxisTitle("epoch").yAxisTitle("MAE (stars)").build();
        style(chart);
        // Below the plot, in one row: inside, it would hide the curves or the baselines.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("#");
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        addCurve(chart, "train MAE", epochs, history.stream().mapToDouble(EpochRecord::mae).toArray(), PALETTE[0]);
        addCurve(chart, "validation MAE", epochs, history.stream().mapToDouble(EpochRecord::valMae).toArray(), PALETTE[1]);
        double first = epochs[0];
        double last = epochs[epochs.length - 1] == first ? first + 1 : epochs[epochs.length - 1];
        baseline(model, BASELINE_MOVIE_MEAN_MAE).ifPresent(mae -> addBaseline(chart,
                String.format(Locale.ROOT, "baseline: per-movie mean (val MAE %.3f)", mae), first, last, mae, PALETTE[2]));
        baseline(model, BASELINE_GLOBAL_MEAN_MAE).ifPresent(mae -> addBaseline(chart,
                String.format(Locale.ROOT, "baseline: global mean (val MAE %.3f)", mae), first, last, mae, OTHER));
        return chart;
    }

    private static void addCurve(XYChart chart, String name, double[] x, double[] y, Color color) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2.5f));
    }

    private static void addBaseline(XYChart chart, String name, double from, double to, double y, Color color) {
        XYSeries s = chart.addSeries(name, new double[] {from, to}, new double[] {y, y});
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
    }

    private static Optional<Double> baseline(RatingModel model, String key) {
        String v = model.provenance().get(key);
        if (v == null) {
            return Optional.empty();
        }
        try {
            double d = Double.parseDouble(v.strip());
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The movie embeddings projected on their first two principal axes, one colour per main genre,
     * the most rated titles labelled.
     *
     * <p>A movie's main genre is the rarest of its genres (Toy Story: Animation rather than Comedy), so
     * that the colours show what sets movies apart; the {@code genres} most common main genres get a
     * colour, the rest are grey "other".
     *
     * @throws IllegalArgumentException when fewer than 2 movies pass {@code minRatings}
     */
    public static XYChart embeddingMap(RatingModel model, MapOptions options) {
        int nItems = model.items().size();
        int d = model.config().itemDim();
        int[] counts = model.itemRatingCounts();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < nItems; i++) {
            if (counts[i] >= options.minRatings()) {
                rows.add(i);
            }
        }
        rows.sort(Comparator.<Integer>comparingInt(i -> counts[i]).reversed().thenComparing(Comparator.naturalOrder()));
        if (rows.size() > options.maxPoints()) {
            rows = new ArrayList<>(rows.subList(0, options.maxPoints()));
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException("only " + rows.size() + " movies have >= " + options.minRatings()
                    + " ratings: too few to map (lower --min-ratings)");
        }
        float[] table = model.itemTable();
        float[] picked = new float[rows.size() * d];
        for (int k = 0; k < rows.size(); k++) {
            System.arraycopy(table, rows.get(k) * d, picked, k * d, d);
        }
        Pca pca = Pca.fit(picked, rows.size(), d, Math.min(2, d));
        double[] x = new double[rows.size()];
        double[] y = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            x[k] = pca.project(picked, k, 0);
            y[k] = pca.components() > 1 ? pca.project(picked, k, 1) : 0;
        }

        String subtitle = String.format(Locale.ROOT, rows.size() == options.maxPoints() ? "the %,d most rated movies" : "%,d movies",
                rows.size()) + (options.minRatings() > 0 ? String.format(Locale.ROOT, " with >= %,d ratings", options.minRatings()) : "");
        XYChart chart = new XYChartBuilder().width(MAP_SIZE).height(MAP_SIZE)
                .title("Movie embeddings, PCA: " + subtitle)
                .xAxisTitle(String.format(Locale.ROOT, "PC1 (%.0f%% of variance)", 100 * pca.explained(0)))
                .yAxisTitle(pca.components() > 1
                        ? String.format(Locale.ROOT, "PC2 (%.0f%% of variance)", 100 * pca.explained(1)) : "")
                .build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(6);

        Map<Integer, String> mainGenre = mainGenres(model, rows);
        List<String> colored = commonest(mainGenre, rows, options.genres());
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        byGroup.put("other", new ArrayList<>());
        for (String g : colored) {
            byGroup.put(g, new ArrayList<>());
        }
        for (int k = 0; k < rows.size(); k++) {
            String g = mainGenre.get(rows.get(k));
            byGroup.get(g != null && colored.contains(g) ? g : "other").add(k);
        }
        // "other" first so that the coloured genres are drawn over it.
        int colorIndex = 0;
        for (Map.Entry<String, List<Integer>> e : byGroup.entrySet()) {
            boolean other = e.getKey().equals("other");
            Color color = other ? OTHER : PALETTE[colorIndex++ % PALETTE.length];
            if (e.getValue().isEmpty()) {
                continue;
            }
            double[] gx = new double[e.getValue().size()];
            double[] gy = new double[e.getValue().size()];
            for (int j = 0; j < gx.length; j++) {
                gx[j] = x[e.getValue().get(j)];
                gy[j] = y[e.getValue().get(j)];
            }
            String name = (other && colored.isEmpty() && mainGenre.isEmpty() ? "movies" : e.getKey())
                    + " (" + gx.length + ")";
            XYSeries s = chart.addSeries(name, gx, gy);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), other ? 150 : 200));
        }
        label(chart, model, rows, x, y, options.labels());
        return chart;
    }

    /** The rarest genre of each movie that has genres; genres counted over {@code rows}. */
    private static Map<Integer, String> mainGenres(RatingModel model, List<Integer> rows) {
        Map<String, Integer> frequency = new HashMap<>();
        Map<Integer, List<String>> genresOf = new HashMap<>();
        for (int row : rows) {
            Optional<Movies.Movie> m = model.movies().get(model.items().rawId(row));
            if (m.isPresent() && !m.get().genres().isEmpty()) {
                genresOf.put(row, m.get().genres());
                for (String g : m.get().genres()) {
                    frequency.merge(g, 1, Integer::sum);
                }
            }
        }
        Map<Integer, String> out = new HashMap<>();
        genresOf.forEach((row, genres) -> out.put(row, genres.stream()
                .min(Comparator.<String>comparingInt(frequency::get).thenComparing(Comparator.naturalOrder()))
                .orElseThrow()));
        return out;
    }

    private static List<String> commonest(Map<Integer, String> mainGenre, List<Integer> rows, int n) {
        Map<String, Integer> count = new HashMap<>();
        for (int row : rows) {
            String g = mainGenre.get(row);
            if (g != null) {
                count.merge(g, 1, Integer::sum);
            }
        }
        return count.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).toList();
    }

    /**
     * Writes the titles of the {@code n} most rated movies beside their points, skipping a title whose
     * box would overlap one already written (estimated in data units from the plot's extent).
     */
    private static void label(XYChart chart, RatingModel model, List<Integer> rows, double[] x, double[] y, int n) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int k = 0; k < x.length; k++) {
            minX = Math.min(minX, x[k]);
            maxX = Math.max(maxX, x[k]);
            minY = Math.min(minY, y[k]);
            maxY = Math.max(maxY, y[k]);
        }
        // The plot area is roughly 0.75 of the chart wide (legend outside) and 0.85 high.
        double unitsPerPixelX = Math.max(maxX - minX, 1e-12) / (MAP_SIZE * 0.72);
        double unitsPerPixelY = Math.max(maxY - minY, 1e-12) / (MAP_SIZE * 0.85);
        double lineHeight = 15 * unitsPerPixelY;
        List<double[]> boxes = new ArrayList<>();
        List<Double> labelledX = new ArrayList<>();
        List<Double> labelledY = new ArrayList<>();
        int placed = 0;
        for (int k = 0; k < rows.size() && placed < n; k++) {
            int row = rows.get(k);
            int rawId = model.items().rawId(row);
            String text = model.movies().get(rawId).map(Movies.Movie::title).orElse("movie " + rawId);
            if (text.length() > 28) {
                text = text.substring(0, 27) + "\u2026";
            }
            double halfWidth = text.length() * 3.6 * unitsPerPixelX;
            double cx = x[k];
            double cy = y[k] + lineHeight * 0.8;   // above the point
            double[] box = {cx - halfWidth, cy - lineHeight / 2, cx + halfWidth, cy + lineHeight / 2};
            boolean free = true;
            for (double[] b : boxes) {
                if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) {
                    free = false;
                    break;
                }
            }
            if (!free) {
                continue;
            }
            boxes.add(box);
            chart.addAnnotation(new AnnotationText(text, cx, cy, false));
            labelledX.add(x[k]);
            labelledY.add(y[k]);
            placed++;
        }
        if (!labelledX.isEmpty()) {
            // Marks which point a title belongs to; drawn last, over the genre colours.
            XYSeries s = chart.addSeries("labelled: most rated", labelledX, labelledY);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(new Color(0x222222));
        }
    }

    private static void style(XYChart chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(0x999999));
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setChartTitleFont(TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setLegendFont(TEXT_FONT);
        s.setAnnotationTextFont(LABEL_FONT);
        s.setAnnotationTextFontColor(new Color(0x222222));
        s.setAntiAlias(true);
        chart.getStyler().setAxisTitleFont(TEXT_FONT);
        chart.getStyler().setAxisTickLabelsFont(LABEL_FONT);
        chart.getStyler().setPlotGridLinesColor(new Color(0xE5E5E5));
    }
}
