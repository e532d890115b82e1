package org.scatterlens.data;

import java.util.Arrays;

/**
 * Raw ids (as in the source file) to dense rows 0..size-1 and back. Rows
 * follow ascending raw id, so the same set of ids always maps the same way.
 */
public final class IdIndex {
    /** Raw ids below this are looked up in a direct table; above, by binary search. */
    private static final int DIRECT_LIMIT = 1 << 24;

    private final int[] rawIds;        // row -> raw id, ascending
    private final int[] rowOfRaw;      // raw id -> row or -1, when max raw id < DIRECT_LIMIT; else null

    private IdIndex(int[] rawIds) {
        this.rawIds = rawIds;
        int max = rawIds.length == 0 ? -1 : rawIds[rawIds.length - 1];
        if (max >= 0 && max < DIRECT_LIMIT && rawIds[0] >= 0) {
            rowOfRaw = new int[max + 1];
            Arrays.fill(rowOfRaw, -1);
            for (int row = 0; row < rawIds.length; row++) {
                rowOfRaw[rawIds[row]] = row;
            }
        } else {
            rowOfRaw = null;
        }
    }

    /**
     * An index over {@code rawIds}, which must be strictly ascending.
     *
     * @throws IllegalArgumentException naming the first position that is not
     */
    public static IdIndex ofSorted(int[] rawIds) {
        for (int i = 1; i < rawIds.length; i++) {
            if (rawIds[i] <= rawIds[i - 1]) {
                throw new IllegalArgumentException("raw ids must be strictly ascending: [" + (i - 1) + "] = "
                        + rawIds[i - 1] + ", [" + i + "] = " + rawIds[i]);
            }
        }
        return new IdIndex(rawIds.clone());
    }

    /** An index over the distinct values of {@code rawIds}, in any order, with duplicates. */
    public static IdIndex ofAny(int[] rawIds) {
        int[] sorted = rawIds.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return new IdIndex(Arrays.copyOf(sorted, n));
    }

    public int size() {
        return rawIds.length;
    }

    /** The raw id of {@code row}. */
    public int rawId(int row) {
        return rawIds[row];
    }

    /** The row of {@code rawId}, or -1 when the id is unknown. */
    public int row(int rawId) {
        if (rowOfRaw != null) {
            return rawId >= 0 && rawId < rowOfRaw.length ? rowOfRaw[rawId] : -1;
        }
        int at = Arrays.binarySearch(rawIds, rawId);
        return at >= 0 ? at : -1;
    }

    public boolean contains(int rawId) {
        return row(rawId) >= 0;
    }

    /** A copy of the raw ids in row order. */
    public int[] rawIds() {
        return rawIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdIndex other && Arrays.equals(rawIds, other.rawIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rawIds);
    }

    @Override
    public String toString() {
        return rawIds.length == 0 ? "IdIndex[empty]"
                : "IdIndex[" + rawIds.length + " ids, " + rawIds[0] + ".." + rawIds[rawIds.length - 1] + "]";
    }
}
