package org.scatterlens.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table: a header, a rule, aligned columns (numbers right-aligned), long cells cut. */
final class TextTable {
    private static final int MAX_CELL = 60;

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /** Columns whose header starts with '>' are right-aligned (the '>' is not shown). */
    TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].startsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
    }

    TextTable add(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String s = String.valueOf(cells[i]);
            row[i] = s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "\u2026" : s;
        }
        rows.add(row);
        return this;
    }

    void print(PrintStream out) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        out.println(line(headers, width));
        String[] rule = new String[headers.length];
        for (int i = 0; i < rule.length; i++) {
            char[] dashes = new char[width[i]];
            Arrays.fill(dashes, '-');
            rule[i] = new String(dashes);
        }
        out.println(line(rule, width));
        for (String[] row : rows) {
            out.println(line(row, width));
        }
    }

    private String line(String[] cells, int[] width) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            out.append(i == 0 ? "" : "  ").append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
        }
        return out.toString();
    }
}
