package org.scatterlens.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One aligned line per epoch, as Keras's verbose=2:
 * <pre>
 * epoch  1/10   6.41s  3.12M r/s  loss 0.8123  mae 0.7012  val_loss 0.7711  val_rmse 0.8781  val_mae 0.6854
 * </pre>
 */
public final class EpochLogger implements TrainingListener {
    private final PrintStream out;
    private int epochs;

    public EpochLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStart(int firstEpoch, int epochs, long trainRatings, long validationRatings) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        out.println(format(m, epochs));
        out.flush();
    }

    public static String format(EpochMetrics m, int epochs) {
        int width = Integer.toString(Math.max(epochs, m.epoch())).length();
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d %7.2fs %6s r/s  loss %.4f  mae %.4f  val_loss %.4f  val_rmse %.4f  val_mae %.4f",
                m.epoch(), epochs, m.seconds(), rate(m.ratingsPerSecond()), m.loss(), m.mae(), m.valLoss(), m.valRmse(), m.valMae());
    }

    /** 3.12M, 812k, 950. */
    public static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }
}
