package org.scatterlens.data;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent blocks of work on the common fork-join pool. Callers cut
 * their work into a fixed number of blocks that depend only on their index,
 * so results never depend on how many threads ran them.
 */
final class Parallel {
    private Parallel() {}

    /** Threads that work on a parallel loop: the pool's workers plus the caller. */
    static int threads() {
        return Math.max(1, ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /** Runs {@code body} for every block 0..blocks-1, in parallel, and returns when all are done. */
    static void forEachBlock(int blocks, IntConsumer body) {
        if (blocks == 1) {
            body.accept(0);
            return;
        }
        IntStream.range(0, blocks).parallel().forEach(body);
    }

    /** Number of blocks of at most {@code perBlock} items that cover {@code items}. */
    static int blocks(long items, int perBlock) {
        return (int) Math.max(1, (items + perBlock - 1) / perBlock);
    }

    /** A 64-bit mix of a seed and a stream index (SplitMix64's finalizer), for per-block random streams. */
    static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
