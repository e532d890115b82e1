package org.scatterlens.train;

/**
 * One batch as the engines see it, reused batch after batch: row ids and
 * centered targets (rating - training mean) for {@link #size} ratings.
 */
public final class Batch {
    final int[] users;
    final int[] items;
    final float[] targets;
    int size;

    public Batch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity " + capacity + " must be >= 1");
        }
        users = new int[capacity];
        items = new int[capacity];
        targets = new float[capacity];
    }

    public int capacity() {
        return users.length;
    }

    public int size() {
        return size;
    }

    /** Fills the batch with ratings {@code order[from, from + n)} of the columns, targets centered on {@code mean}. */
    public void fill(int[] order, int from, int n, int[] userRows, int[] itemRows, float[] values, float mean) {
        if (n < 0 || n > users.length) {
            throw new IllegalArgumentException("batch of " + n + " exceeds capacity " + users.length);
        }
        for (int k = 0; k < n; k++) {
            int r = order[from + k];
            users[k] = userRows[r];
            items[k] = itemRows[r];
            targets[k] = values[r] - mean;
        }
        size = n;
    }

    /** For tests and callers with their own arrays. */
    public void set(int[] userRows, int[] itemRows, float[] centeredTargets, int n) {
        System.arraycopy(userRows, 0, users, 0, n);
        System.arraycopy(itemRows, 0, items, 0, n);
        System.arraycopy(centeredTargets, 0, targets, 0, n);
        size = n;
    }

    public int user(int k) {
        return users[k];
    }

    public int item(int k) {
        return items[k];
    }

    public float target(int k) {
        return targets[k];
    }
}
