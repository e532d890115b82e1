package org.scatterlens.model;

import java.util.Arrays;
import java.util.Objects;

import org.scatterlens.data.Ratings;

/**
 * Which movies each user has rated, so that recommendations can leave them
 * out without the ratings file. Compressed sparse rows: user row u rated the
 * movie rows {@code movieRows[offsets[u] .. offsets[u + 1])}, ascending and
 * distinct. 4 bytes per rating plus 4 per user (80 MB for MovieLens-20M).
 */
public final class RatedMovies {
    private final int[] offsets;    // (nUsers + 1), offsets[0] = 0, non-decreasing
    private final int[] movieRows;  // (offsets[nUsers]) ascending within each user

    /**
     * @throws IllegalArgumentException when the offsets are not a valid CSR index over {@code movieRows}
     *                                  or a user's movies are not strictly ascending
     */
    public RatedMovies(int[] offsets, int[] movieRows) {
        this.offsets = Objects.requireNonNull(offsets, "offsets");
        this.movieRows = Objects.requireNonNull(movieRows, "movieRows");
        if (offsets.length < 1 || offsets[0] != 0 || offsets[offsets.length - 1] != movieRows.length) {
            throw new IllegalArgumentException("rated-movie offsets must run from 0 to " + movieRows.length
                    + " (the number of movie rows), found " + (offsets.length == 0 ? "none"
                    : offsets[0] + " .. " + offsets[offsets.length - 1]));
        }
        for (int u = 0; u + 1 < offsets.length; u++) {
            if (offsets[u + 1] < offsets[u]) {
                throw new IllegalArgumentException("rated-movie offsets decrease at user row " + u + ": "
                        + offsets[u] + " then " + offsets[u + 1]);
            }
            for (int k = offsets[u] + 1; k < offsets[u + 1]; k++) {
                if (movieRows[k] <= movieRows[k - 1]) {
                    throw new IllegalArgumentException("rated movies of user row " + u + " are not strictly ascending at "
                            + k + ": " + movieRows[k - 1] + " then " + movieRows[k]);
                }
            }
        }
    }

    /** Every (user, movie) pair of {@code ratings}: training and validation alike, since the user rated both. */
    public static RatedMovies of(Ratings ratings) {
        return of(ratings.users().size(), ratings.userRows(), ratings.itemRows());
    }

    /**
     * The pairs (userRows[i], itemRows[i]); duplicates collapse.
     *
     * @param nUsers number of user rows; every user row must be below it
     */
    public static RatedMovies of(int nUsers, int[] userRows, int[] itemRows) {
        if (userRows.length != itemRows.length) {
            throw new IllegalArgumentException(userRows.length + " user rows but " + itemRows.length + " movie rows");
        }
        int[] offsets = new int[nUsers + 1];
        for (int u : userRows) {
            if (u < 0 || u >= nUsers) {
                throw new IllegalArgumentException("user row " + u + " is outside [0, " + nUsers + ")");
            }
            offsets[u + 1]++;
        }
        for (int u = 0; u < nUsers; u++) {
            offsets[u + 1] += offsets[u];
        }
        int[] fill = Arrays.copyOf(offsets, nUsers);
        int[] rows = new int[userRows.length];
        for (int i = 0; i < userRows.length; i++) {
            rows[fill[userRows[i]]++] = itemRows[i];
        }
        // Sort each user's run and drop duplicates, compacting in place.
        int[] compact = new int[nUsers + 1];
        int n = 0;
        for (int u = 0; u < nUsers; u++) {
            Arrays.sort(rows, offsets[u], offsets[u + 1]);
            for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                if (k == offsets[u] || rows[k] != rows[k - 1]) {
                    rows[n++] = rows[k];
                }
            }
            compact[u + 1] = n;
        }
        return new RatedMovies(compact, n == rows.length ? rows : Arrays.copyOf(rows, n));
    }

    public int users() {
        return offsets.length - 1;
    }

    /** Number of (user, movie) pairs. */
    public int size() {
        return movieRows.length;
    }

    /** The movie rows user row {@code userRow} rated, ascending (a copy). */
    public int[] moviesOf(int userRow) {
        return Arrays.copyOfRange(movieRows, offsets[userRow], offsets[userRow + 1]);
    }

    public boolean rated(int userRow, int movieRow) {
        return Arrays.binarySearch(movieRows, offsets[userRow], offsets[userRow + 1], movieRow) >= 0;
    }

    /** (nUsers + 1) CSR offsets; the object's own array. */
    public int[] offsets() {
        return offsets;
    }

    /** (size()) movie rows; the object's own array. */
    public int[] movieRows() {
        return movieRows;
    }
}
