package dev.hostops.contracts.sign.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as ECMAScript's {@code Number.prototype.toString} writes them, which RFC 8785 (JCS) requires:
 * the shortest decimal that reads back as the same IEEE 754 double, in plain notation from 1e-6 up to
 * 1e21 and in exponent notation ({@code 1e+30}, {@code 5e-324}) outside. Java 17's
 * {@code Double.toString} is neither always shortest nor in that notation, so it is not used.
 */
public final class Es6Numbers {
    private Es6Numbers() {}

    /** @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no " + value);
        }
        if (value == 0) {
            return "0"; // also -0
        }
        String sign = value < 0 ? "-" : "";
        double abs = Math.abs(value);
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            // The nearest decimal of this many digits; the first that reads back is the shortest, and the closest.
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == abs) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.digits * 10^n
        StringBuilder out = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent > 0 ? "+" : "-").append(Math.abs(exponent));
        }
        return out.toString();
    }
}
