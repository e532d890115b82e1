package org.scatterlens.data;

/**
 * Finds ratings of the same (user, movie) pair and keeps the latest of each:
 * the largest timestamp, then the later position in the file. One pass over
 * the ratings grouped by user, with a per-movie "last seen" table; files that
 * are already grouped by user (all GroupLens ones) need no sort.
 */
final class Duplicates {
    private Duplicates() {}

    /** The ratings without duplicates (the same object when there are none) and how many were removed. */
    record Result(Ratings ratings, int removed) {}

    static Result keepLatest(Ratings r) {
        int n = r.size();
        int[] userRows = r.userRows();
        int[] itemRows = r.itemRows();
        int[] times = r.times();
        int[] order = groupedByUser(userRows) ? null : ByUser.of(userRows, r.users().size()).order();
        int[] seenBy = new int[r.items().size()];     // user row + 1 that last rated the movie
        int[] seenAt = new int[r.items().size()];     // where, the rating kept so far
        boolean[] dropped = null;
        int removed = 0;
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            int user = userRows[i] + 1;
            int item = itemRows[i];
            if (seenBy[item] != user) {
                seenBy[item] = user;
                seenAt[item] = i;
                continue;
            }
            int j = seenAt[item];
            // Within a user, i comes after j in the file, so equal times keep i.
            boolean later = times[i] >= times[j];
            if (dropped == null) {
                dropped = new boolean[n];
            }
            dropped[later ? j : i] = true;
            seenAt[item] = later ? i : j;
            removed++;
        }
        if (removed == 0) {
            return new Result(r, 0);
        }
        int kept = n - removed;
        int[] u = new int[kept];
        int[] m = new int[kept];
        float[] v = new float[kept];
        int[] t = new int[kept];
        float[] values = r.values();
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (!dropped[i]) {
                u[at] = userRows[i];
                m[at] = itemRows[i];
                v[at] = values[i];
                t[at] = times[i];
                at++;
            }
        }
        // Every user and movie keeps at least one rating of each pair, so the id maps stay exact.
        return new Result(new Ratings(u, m, v, t, r.users(), r.items()), removed);
    }

    private static boolean groupedByUser(int[] userRows) {
        for (int i = 1; i < userRows.length; i++) {
            if (userRows[i] < userRows[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
