package org.scatterlens.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The resources a constructor has acquired so far, so that a failure halfway
 * frees them instead of leaking native memory or a thread: {@link #track} each
 * one as it is made; in the catch, {@link #releaseAfter} closes them all and
 * rethrows the failure with any close errors suppressed in it.
 */
final class Acquired {
    private final List<AutoCloseable> made = new ArrayList<>();

    <T extends AutoCloseable> T track(T resource) {
        made.add(resource);
        return resource;
    }

    RuntimeException releaseAfter(RuntimeException failure) {
        for (AutoCloseable c : made) {
            try {
                c.close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
        return failure;
    }
}
