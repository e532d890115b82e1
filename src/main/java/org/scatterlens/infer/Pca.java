package org.scatterlens.infer;

/**
 * Principal component analysis of a few thousand short rows (embeddings are
 * 8 to a few hundred wide): the covariance matrix, then its eigenvectors by
 * cyclic Jacobi rotations, which are exact to rounding for symmetric
 * matrices this small and need no library.
 *
 * @param mean      (d) column means that were subtracted
 * @param axes      (k, d) row-major principal axes, unit length, by decreasing variance; each axis's sign
 *                  is chosen so that its largest-magnitude component is positive (stable across runs)
 * @param variances (k) variance along each axis
 * @param totalVariance sum of all d variances, for "x% of variance"
 */
public record Pca(double[] mean, double[] axes, double[] variances, double totalVariance) {

    /**
     * The first {@code k} principal axes of {@code n} rows of width {@code d} ({@code rows} row-major).
     *
     * @throws IllegalArgumentException when k is not in [1, d] or there are fewer than 2 rows
     */
    public static Pca fit(float[] rows, int n, int d, int k) {
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("PCA components " + k + " must be in [1, " + d + "]");
        }
        if (n < 2 || rows.length < (long) n * d) {
            throw new IllegalArgumentException("PCA needs at least 2 rows of width " + d + ", got " + n);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += rows[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] cov = new double[d * d];   // (d, d)
        double[] centered = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centered[j] = rows[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a * d + b] += centered[a] * centered[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a * d + b] /= n - 1;
                cov[b * d + a] = cov[a * d + b];
            }
        }
        double total = 0;
        for (int a = 0; a < d; a++) {
            total += cov[a * d + a];
        }
        double[] vectors = new double[d * d]; // (d, d) columns are eigenvectors
        double[] values = jacobi(cov, d, vectors);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] axes = new double[k * d];
        double[] variances = new double[k];
        for (int c = 0; c < k; c++) {
            int col = order[c];
            variances[c] = Math.max(values[col], 0);
            int biggest = 0;
            for (int j = 0; j < d; j++) {
                if (Math.abs(vectors[j * d + col]) > Math.abs(vectors[biggest * d + col])) {
                    biggest = j;
                }
            }
            double sign = vectors[biggest * d + col] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                axes[c * d + j] = sign * vectors[j * d + col];
            }
        }
        return new Pca(mean, axes, variances, total);
    }

    public int components() {
        return variances.length;
    }

    /** Share of the total variance along axis {@code c}, 0..1. */
    public double explained(int c) {
        return totalVariance == 0 ? 0 : variances[c] / totalVariance;
    }

    /** Row {@code i} of {@code rows} (width d) on axis {@code c}. */
    public double project(float[] rows, int i, int c) {
        int d = mean.length;
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (rows[i * d + j] - mean[j]) * axes[c * d + j];
        }
        return s;
    }

    /** Eigenvalues of the symmetric (d, d) matrix {@code a} (destroyed); eigenvectors into the columns of {@code v}. */
    private static double[] jacobi(double[] a, int d, double[] v) {
        for (int i = 0; i < d; i++) {
            v[i * d + i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += a[p * d + q] * a[p * d + q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p * d + q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k * d + p];
                        double akq = a[k * d + q];
                        a[k * d + p] = c * akp - s * akq;
                        a[k * d + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p * d + k];
                        double aqk = a[q * d + k];
                        a[p * d + k] = c * apk - s * aqk;
                        a[q * d + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = v[k * d + p];
                        double vkq = v[k * d + q];
                        v[k * d + p] = c * vkp - s * vkq;
                        v[k * d + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = a[i * d + i];
        }
        return values;
    }
}
