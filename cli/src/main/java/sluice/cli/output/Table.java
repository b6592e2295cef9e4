package sluice.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table: a header row, a rule, and columns padded to their widest cell (the last one is not padded). */
public final class Table {

    private static final int MAX_CELL = 80;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public Table row(List<String> cells) {
        if (cells.size() != headers.size()) throw new IllegalArgumentException("a row needs " + headers.size() + " cells");
        rows.add(cells.stream().map(Table::clean).toList());
        return this;
    }

    public void print(PrintWriter out) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) width[i] = Math.max(width[i], r.get(i).length());
        }
        line(out, headers, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) rule.add("-".repeat(w));
        line(out, rule, width);
        for (List<String> r : rows) line(out, r, width);
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append("  ");
            b.append(cells.get(i));
            if (i < cells.size() - 1) b.append(" ".repeat(width[i] - cells.get(i).length()));
        }
        out.println(b.toString().stripTrailing());
    }

    /** One line per cell, safe for the terminal, and not a screen wide: a remote reply can be long. */
    private static String clean(String cell) {
        String c = cell == null ? "" : Terminal.line(cell.replaceAll("[\\r\\n\\t]+", " "));
        return c.length() > MAX_CELL ? c.substring(0, MAX_CELL - 3) + "..." : c;
    }
}
