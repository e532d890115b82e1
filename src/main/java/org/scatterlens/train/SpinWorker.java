package org.scatterlens.train;

import java.util.concurrent.locks.LockSupport;

/**
 * One helper thread for work that overlaps the calling thread's within a
 * training step. It spins between tasks rather than parking: a parked
 * thread's wake-up costs about 60 us on these virtual machines, a third of
 * the work it would take over. After {@link #IDLE_PARK_NANOS} without work
 * (between epochs, during validation) it parks.
 */
final class SpinWorker implements AutoCloseable {
    private static final long IDLE_PARK_NANOS = 20_000_000L;

    private final Thread thread;
    private volatile Runnable task;
    private volatile Throwable failure;
    private volatile boolean running = true;

    SpinWorker(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long idleSince = System.nanoTime();
        while (running) {
            Runnable t = task;
            if (t != null) {
                try {
                    t.run();
                } catch (Throwable e) {
                    failure = e;
                }
                task = null;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > IDLE_PARK_NANOS) {
                LockSupport.parkNanos(this, 1_000_000L);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Starts {@code work} on the helper; one task at a time. */
    void start(Runnable work) {
        if (task != null) {
            throw new IllegalStateException("the previous task has not been joined");
        }
        failure = null;
        task = work;
        LockSupport.unpark(thread);
    }

    /** Waits for the task; rethrows what it threw. */
    void join() {
        while (task != null) {
            Thread.onSpinWait();
        }
        Throwable e = failure;
        if (e != null) {
            failure = null;
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
