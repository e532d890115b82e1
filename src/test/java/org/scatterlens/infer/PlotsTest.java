package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.scatterlens.model.RatingModel;
import org.scatterlens.testing.TestModels;

class PlotsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Decodes the PNG and checks its size and that it is not one flat colour. */
    static BufferedImage assertPng(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a decodable image");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        int first = image.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < height && !varied; y += 7) {
            for (int x = 0; x < width && !varied; x += 7) {
                varied = image.getRGB(x, y) != first;
            }
        }
        assertTrue(varied, file + " is blank");
        return image;
    }

    @Test
    void trainingCurvesHaveBothCurvesAndTheBaselines() throws IOException {
        RatingModel m = TestModels.clustered(1, 50, 300);
        XYChart chart = Plots.trainingCurves(m);
        assertEquals(List.of("train MAE", "validation MAE", "baseline: per-movie mean (val MAE 0.758)",
                "baseline: global mean (val MAE 0.841)"), List.copyOf(chart.getSeriesMap().keySet()));
        Path png = tmp.resolve("curves.png");
        Plots.writePng(chart, png);
        assertPng(png, Plots.WIDTH, Plots.HEIGHT);
    }

    @Test
    void curvesWithoutBaselinesOrHistory() {
        RatingModel m = TestModels.clustered(1, 50, 300).withProvenance(java.util.Map.of());
        assertEquals(2, Plots.trainingCurves(m).getSeriesMap().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.trainingCurves(m.withHistory(List.of())));
        assertEquals("the model has no training history to plot", e.getMessage());
    }

    @Test
    void embeddingMapColoursGenresAndLabelsTheMostRated() throws IOException {
        RatingModel m = TestModels.clustered(3, 50, 600);
        XYChart chart = Plots.embeddingMap(m, new Plots.MapOptions(0, 400, 10, 5));
        List<String> series = List.copyOf(chart.getSeriesMap().keySet());
        assertTrue(series.get(0).startsWith("other ("), series.toString());
        assertEquals(7, series.size(), "other, 5 genres, the labelled points: " + series);
        assertEquals("labelled: most rated", series.get(6));
        int points = 0;
        for (int i = 0; i < 6; i++) {
            points += chart.getSeriesMap().get(series.get(i)).getXData().length;
        }
        assertEquals(400, points, "--max-points keeps the 400 most rated");
        assertTrue(chart.getSeriesMap().get("labelled: most rated").getXData().length <= 10);
        Path png = tmp.resolve("map.png");
        Plots.writePng(chart, png);
        assertPng(png, Plots.MAP_SIZE, Plots.MAP_SIZE);
    }

    @Test
    void embeddingMapWithoutTitlesAndTooFewMovies() throws IOException {
        Path png = tmp.resolve("map.png");
        Plots.writePng(Plots.embeddingMap(TestModels.tower(), new Plots.MapOptions(0, 10, 2, 9)), png);
        assertPng(png, Plots.MAP_SIZE, Plots.MAP_SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.embeddingMap(TestModels.tower(), new Plots.MapOptions(5, 10, 2, 9)));
        assertEquals("only 1 movies have >= 5 ratings: too few to map (lower --min-ratings)", e.getMessage());
    }
}
