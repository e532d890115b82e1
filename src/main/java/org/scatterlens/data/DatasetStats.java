package org.scatterlens.data;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A first look at a dataset: counts, id ranges, the rating histogram,
 * ratings per user and per movie at a few quantiles, the time span.
 *
 * @param quantiles        the quantiles reported, e.g. 0, 0.1, 0.5, 0.9, 1
 * @param perUser          ratings per user at those quantiles
 * @param perMovie         ratings per movie at those quantiles
 * @param histogram        count of each distinct rating value, ascending
 * @param firstTime        earliest timestamp (Unix seconds), 0 when the data has none
 * @param lastTime         latest timestamp
 */
public record DatasetStats(int ratings, int users, int movies, int minUserId, int maxUserId, int minMovieId,
                           int maxMovieId, double mean, double sd, Map<Float, Long> histogram, double[] quantiles,
                           int[] perUser, int[] perMovie, long firstTime, long lastTime) {
    public static final double[] QUANTILES = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1};

    public static DatasetStats of(Ratings r) {
        int n = r.size();
        int[] perUser = new int[r.users().size()];
        int[] perMovie = new int[r.items().size()];
        double sum = 0;
        double squares = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        TreeMap<Float, Long> histogram = new TreeMap<>();
        float[] values = r.values();
        for (int i = 0; i < n; i++) {
            perUser[r.userRows()[i]]++;
            perMovie[r.itemRows()[i]]++;
            sum += values[i];
            squares += (double) values[i] * values[i];
            first = Math.min(first, r.times()[i]);
            last = Math.max(last, r.times()[i]);
        }
        // Ratings are almost always half stars: count those in an array, anything else in the map.
        long[] halves = new long[11];
        for (float v : values) {
            float twice = v * 2;
            if (twice == (int) twice && twice >= 0 && twice <= 10) {
                halves[(int) twice]++;
            } else {
                histogram.merge(v, 1L, Long::sum);
            }
        }
        for (int h = 0; h < halves.length; h++) {
            if (halves[h] > 0) {
                histogram.put(h / 2f, halves[h]);
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double sd = n == 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean));
        IdIndex u = r.users();
        IdIndex m = r.items();
        return new DatasetStats(n, u.size(), m.size(), u.size() == 0 ? 0 : u.rawId(0), u.size() == 0 ? 0 : u.rawId(u.size() - 1),
                m.size() == 0 ? 0 : m.rawId(0), m.size() == 0 ? 0 : m.rawId(m.size() - 1), mean, sd, histogram,
                QUANTILES.clone(), quantiles(perUser), quantiles(perMovie), n == 0 ? 0 : first, n == 0 ? 0 : last);
    }

    private static int[] quantiles(int[] counts) {
        int[] sorted = counts.clone();
        java.util.Arrays.sort(sorted);
        int[] q = new int[QUANTILES.length];
        for (int k = 0; k < q.length; k++) {
            q[k] = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(QUANTILES[k] * sorted.length))];
        }
        return q;
    }

    /** The report, one aligned line each. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format("%-18s %,d", "ratings", ratings));
        out.add(String.format("%-18s %,d (ids %,d..%,d)", "users", users, minUserId, maxUserId));
        out.add(String.format("%-18s %,d (ids %,d..%,d)", "movies", movies, minMovieId, maxMovieId));
        out.add(String.format("%-18s %.4f%% of users x movies", "density", 100.0 * ratings / Math.max(1.0, (double) users * movies)));
        out.add(String.format("%-18s mean %.4f, sd %.4f", "rating", mean, sd));
        long most = histogram.values().stream().mapToLong(Long::longValue).max().orElse(1);
        for (Map.Entry<Float, Long> e : histogram.entrySet()) {
            int bar = (int) Math.round(40.0 * e.getValue() / most);
            out.add(String.format("  %-16s %,12d %5.1f%% %s", e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, ratings),
                    "#".repeat(bar)));
        }
        StringBuilder head = new StringBuilder(String.format("%-18s", "quantile"));
        for (double q : quantiles) {
            head.append(String.format(" %8s", q == 0 ? "min" : q == 1 ? "max" : String.format("%s%%", trim(q * 100))));
        }
        out.add(head.toString());
        out.add(row("ratings per user", perUser));
        out.add(row("ratings per movie", perMovie));
        if (lastTime > 0) {
            out.add(String.format("%-18s %s .. %s", "time", Instant.ofEpochSecond(firstTime), Instant.ofEpochSecond(lastTime)));
        } else {
            out.add(String.format("%-18s none in the data", "time"));
        }
        return out;
    }

    private static String row(String label, int[] values) {
        StringBuilder line = new StringBuilder(String.format("%-18s", label));
        for (int v : values) {
            line.append(String.format(" %,8d", v));
        }
        return line.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
