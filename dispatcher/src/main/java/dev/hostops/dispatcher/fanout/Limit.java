package dev.hostops.dispatcher.fanout;

/**
 * A count or a percentage of the targets, as in AWS SSM Run Command's {@code MaxConcurrency} and
 * {@code MaxErrors}: {@code 10} or {@code "10%"}.
 *
 * @param value   the number, or the percentage (0 to 100) when {@code percent}
 */
public record Limit(int value, boolean percent) {
    public Limit {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        if (percent && value > 100) {
            throw new IllegalArgumentException("a percentage must be 0 to 100");
        }
    }

    public static Limit count(int n) {
        return new Limit(n, false);
    }

    /** Parses {@code 10} or {@code 10%}; the exception names {@code field}. */
    public static Limit parse(String text, String field) {
        String t = text == null ? "" : text.trim();
        boolean pct = t.endsWith("%");
        String digits = pct ? t.substring(0, t.length() - 1).trim() : t;
        try {
            return new Limit(Integer.parseInt(digits), pct);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a whole number or a percentage such as 10%, not '" + text + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " " + e.getMessage() + ", not '" + text + "'");
        }
    }

    /** At least one at a time: a percentage rounds up, and 0 means 1. */
    public int concurrencyFor(int targets) {
        int n = percent ? (int) Math.ceil(targets * value / 100.0) : value;
        return Math.max(1, n);
    }

    /** Errors tolerated: a percentage rounds down (0% and 0 stop at the first error). */
    public int errorsFor(int targets) {
        return percent ? (int) Math.floor(targets * value / 100.0) : value;
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
