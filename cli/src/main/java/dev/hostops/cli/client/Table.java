package dev.hostops.cli.client;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Ansi;

/** A plain text table; the header is bold and statuses coloured on a terminal, plain when piped. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(String... cells) {
        List<String> r = new ArrayList<>();
        for (String c : cells) {
            r.add(c == null ? "" : c);
        }
        rows.add(r);
        return this;
    }

    void print() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        Ansi ansi = System.console() != null ? Ansi.AUTO : Ansi.OFF;
        System.out.println(ansi.string("@|bold " + line(header, width) + "|@"));
        for (List<String> r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = pad(r.get(i), width[i]);
                sb.append(i == 0 ? "" : "  ").append(ansi == Ansi.OFF ? cell : colour(cell));
            }
            System.out.println(ansi.string(sb.toString().stripTrailing()));
        }
        if (rows.isEmpty()) {
            System.out.println("(none)");
        }
    }

    private static String colour(String cell) {
        String t = cell.trim();
        return switch (t) {
            case "SUCCEEDED", "online", "pending" -> "@|green " + cell + "|@";
            case "FAILED", "REJECTED", "LOST", "TIMED_OUT", "offline", "denied" -> "@|red " + cell + "|@";
            case "RUNNING", "QUEUED", "DELIVERED", "AWAITING_APPROVAL", "EXPIRED", "CANCELLED" -> "@|yellow " + cell + "|@";
            default -> cell.replace("@|", "@ |");
        };
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == 0 ? "" : "  ").append(pad(cells.get(i), width[i]));
        }
        return sb.toString().stripTrailing();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
