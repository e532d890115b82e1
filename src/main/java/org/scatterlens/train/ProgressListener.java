package org.scatterlens.train;

import java.io.PrintStream;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar within each epoch (ratings done, rate, running loss). Only
 * when stdout is a terminal: in CI or through a pipe it would be noise.
 */
public final class ProgressListener implements TrainingListener {
    private final PrintStream out;
    private int epochs;
    private ProgressBar bar;
    private long lastUpdate;

    public ProgressListener(PrintStream out) {
        this.out = out;
    }

    /** Whether a bar makes sense here: an interactive terminal on stdout. */
    public static boolean terminal() {
        return System.console() != null;
    }

    @Override
    public void onStart(int firstEpoch, int epochs, long trainRatings, long validationRatings) {
        this.epochs = epochs;
    }

    @Override
    public void onBatch(int epoch, long done, long total, double runningLoss) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" ratings", 1)
                    .showSpeed()
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .clearDisplayOnFinish()
                    .build();
        }
        long now = System.nanoTime();
        if (done == total || now - lastUpdate > 100_000_000L) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", runningLoss));
            lastUpdate = now;
        }
        if (done == total) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
