package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Column-by-column equality of two rating sets, ids included. */
final class SameRatings {
    private SameRatings() {}

    static void assertSameRatings(Ratings expected, Ratings actual, String what) {
        assertArrayEquals(expected.users().rawIds(), actual.users().rawIds(), what + ": user ids");
        assertArrayEquals(expected.items().rawIds(), actual.items().rawIds(), what + ": movie ids");
        assertArrayEquals(expected.userRows(), actual.userRows(), what + ": user rows");
        assertArrayEquals(expected.itemRows(), actual.itemRows(), what + ": movie rows");
        assertArrayEquals(expected.values(), actual.values(), what + ": ratings");
        assertArrayEquals(expected.times(), actual.times(), what + ": times");
    }
}
