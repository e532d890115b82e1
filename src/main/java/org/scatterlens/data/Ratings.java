package org.scatterlens.data;

import java.util.Objects;

/**
 * Ratings, columnar: rating i is (user row users[i], item row items[i],
 * value ratings[i], Unix seconds times[i]). Rows index {@link #users()} and
 * {@link #items()}' id maps. 16 bytes per rating.
 *
 * <p>The column accessors return the arrays themselves, not copies, so that a
 * 20M-rating set is never duplicated: treat them as read-only.
 */
public final class Ratings {
    private final int[] userRows;
    private final int[] itemRows;
    private final float[] values;
    private final int[] times;
    private final IdIndex users;
    private final IdIndex items;

    /**
     * @throws IllegalArgumentException when the columns differ in length or a row is outside its index
     */
    public Ratings(int[] userRows, int[] itemRows, float[] values, int[] times, IdIndex users, IdIndex items) {
        this.userRows = Objects.requireNonNull(userRows, "userRows");
        this.itemRows = Objects.requireNonNull(itemRows, "itemRows");
        this.values = Objects.requireNonNull(values, "values");
        this.times = Objects.requireNonNull(times, "times");
        this.users = Objects.requireNonNull(users, "users");
        this.items = Objects.requireNonNull(items, "items");
        int n = userRows.length;
        if (itemRows.length != n || values.length != n || times.length != n) {
            throw new IllegalArgumentException("column lengths differ: users " + n + ", items " + itemRows.length
                    + ", ratings " + values.length + ", times " + times.length);
        }
        for (int i = 0; i < n; i++) {
            if (userRows[i] < 0 || userRows[i] >= users.size()) {
                throw new IllegalArgumentException("rating " + i + ": user row " + userRows[i] + " is outside [0, " + users.size() + ")");
            }
            if (itemRows[i] < 0 || itemRows[i] >= items.size()) {
                throw new IllegalArgumentException("rating " + i + ": item row " + itemRows[i] + " is outside [0, " + items.size() + ")");
            }
        }
    }

    public int size() {
        return values.length;
    }

    /** User row per rating (read-only). */
    public int[] userRows() {
        return userRows;
    }

    /** Item (movie) row per rating (read-only). */
    public int[] itemRows() {
        return itemRows;
    }

    /** Rating values (read-only). */
    public float[] values() {
        return values;
    }

    /** Unix seconds per rating, 0 where the source has none (read-only). */
    public int[] times() {
        return times;
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    /** Mean rating over the given rows of this set. */
    public double mean(int[] subset) {
        double sum = 0;
        for (int i : subset) {
            sum += values[i];
        }
        return subset.length == 0 ? 0 : sum / subset.length;
    }

    @Override
    public String toString() {
        return "Ratings[" + size() + " ratings, " + users.size() + " users, " + items.size() + " items]";
    }
}
