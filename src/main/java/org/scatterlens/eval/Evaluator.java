package org.scatterlens.eval;

import org.scatterlens.data.Ratings;
import org.scatterlens.model.RatingModel;
import org.scatterlens.train.ErrorStats;

/**
 * A saved model against a rating set, which may come from another file than
 * the one it was trained on: raw ids are mapped through the model's own id
 * maps, and ratings of users or movies the model never saw are predicted as
 * the training mean and counted.
 */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param stats   errors of the predictions as they are
     * @param unknown ratings whose user or movie the model does not know
     */
    public record Result(ErrorStats stats, long unknown, long ratings) {}

    public static Result evaluate(RatingModel model, Ratings data, int[] subset) {
        ErrorStats stats = new ErrorStats();
        long unknown = 0;
        int[] users = data.userRows();
        int[] items = data.itemRows();
        float[] values = data.values();
        // Map the data's rows to the model's rows once per distinct id, not once per rating.
        int[] userRow = remap(data.users(), model.users());
        int[] itemRow = remap(data.items(), model.items());
        for (int i : subset) {
            int u = userRow[users[i]];
            int m = itemRow[items[i]];
            float predicted;
            if (u < 0 || m < 0) {
                unknown++;
                predicted = model.mean();
            } else {
                predicted = model.predictRows(u, m);
            }
            stats.add(predicted, values[i], model.minRating(), model.maxRating());
        }
        return new Result(stats, unknown, subset.length);
    }

    public static Result evaluate(RatingModel model, Ratings data) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return evaluate(model, data, all);
    }

    private static int[] remap(org.scatterlens.data.IdIndex from, org.scatterlens.data.IdIndex to) {
        int[] rows = new int[from.size()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = to.row(from.rawId(r));
        }
        return rows;
    }
}
