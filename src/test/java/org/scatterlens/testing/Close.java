package org.scatterlens.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison within atol + rtol * |expected| that says where and by how much it failed. */
public final class Close {
    private Close() {}

    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        double largest = 0;
        int largestAt = -1;
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) expected[i] - actual[i]);
            boolean bad = !(diff <= atol + rtol * Math.abs(expected[i])) || Float.isNaN(actual[i]) != Float.isNaN(expected[i]);
            if (diff > largest || (bad && largestAt < 0)) {
                largest = diff;
                largestAt = i;
            }
            if (bad) {
                if (mismatches < 5) {
                    first.append(String.format("%n  [%d] expected %.9g, got %.9g (diff %.3g)", i, expected[i], actual[i], diff));
                }
                mismatches++;
            }
        }
        if (mismatches > 0) {
            fail(String.format("%s: %d of %d elements differ beyond atol %.1g + rtol %.1g*|ref|; largest difference %.3g at [%d]; first:%s",
                    what, mismatches, expected.length, atol, rtol, largest, largestAt, first));
        }
    }

    public static void assertSame(String what, int[] expected, int[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": [" + i + "] expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
