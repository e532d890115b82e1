package org.scatterlens.data;

import java.util.Arrays;

/**
 * Rating indices grouped by user (a stable counting sort): user u's ratings are
 * order[start[u]..start[u+1]), in file order.
 */
record ByUser(int[] start, int[] order) {
    static ByUser of(int[] userRows, int users) {
        int[] start = new int[users + 1];
        for (int u : userRows) {
            start[u + 1]++;
        }
        for (int u = 0; u < users; u++) {
            start[u + 1] += start[u];
        }
        int[] next = Arrays.copyOf(start, users);
        int[] order = new int[userRows.length];
        for (int i = 0; i < userRows.length; i++) {
            order[next[userRows[i]]++] = i;
        }
        return new ByUser(start, order);
    }

    int count(int user) {
        return start[user + 1] - start[user];
    }
}
