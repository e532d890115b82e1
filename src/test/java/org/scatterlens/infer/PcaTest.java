package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PcaTest {
    @Test
    void findsAPlantedDirection() {
        // Points along (1, 2, 2) / 3 with spread 3, plus small noise along (2, -1, 0) / sqrt 5, around (5, 5, 5).
        SplittableRandom random = new SplittableRandom(1);
        int n = 2000;
        float[] rows = new float[n * 3];
        double[] a = {1 / 3.0, 2 / 3.0, 2 / 3.0};
        double[] b = {2 / Math.sqrt(5), -1 / Math.sqrt(5), 0};
        for (int i = 0; i < n; i++) {
            double s = random.nextGaussian() * 3;
            double t = random.nextGaussian() * 0.5;
            for (int j = 0; j < 3; j++) {
                rows[i * 3 + j] = (float) (5 + s * a[j] + t * b[j]);
            }
        }
        Pca pca = Pca.fit(rows, n, 3, 2);
        for (int j = 0; j < 3; j++) {
            assertEquals(a[j], pca.axes()[j], 0.01, "axis 1 component " + j);
            assertEquals(b[j], pca.axes()[3 + j], 0.02, "axis 2 component " + j);
            assertEquals(5, pca.mean()[j], 0.2);
        }
        assertEquals(9, pca.variances()[0], 0.6);
        assertEquals(0.25, pca.variances()[1], 0.03);
        assertEquals(9 / 9.25, pca.explained(0), 0.01);
    }

    @Test
    void diagonalCovarianceIsSortedBySize() {
        float[] rows = {0, 0, 1, 0, 0, -1, 0, 3, 0, 0, -3, 0};   // variance only on axes 2 (large) and 3 (small)
        Pca pca = Pca.fit(rows, 4, 3, 3);
        assertEquals(1, pca.axes()[1], 1e-12);
        assertEquals(1, pca.axes()[3 + 2], 1e-12);
        assertEquals(0, pca.variances()[2], 1e-12);
    }
}
