package dev.hostops.broker.internal.amqp;

/**
 * MQTT topic-filter matching. The broker already routes by the AMQP binding, but one client queue
 * carries every subscription, so the transport has to find out again which handlers a message is for.
 */
final class TopicFilter {
    private TopicFilter() {}

    /** True when {@code topic} matches {@code filter} by MQTT rules ({@code +} one level, {@code #} the rest). */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        // MQTT: wildcards at the first level do not match topics starting with '$'.
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // '#' is last by MQTT rules and matches the parent level too
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** Rejects what MQTT rejects: empty filters, {@code #} not last, wildcards inside a level. */
    static String requireValid(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("topic filter must not be empty");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean wildcard = level.equals("+") || level.equals("#");
            if (!wildcard && (level.contains("+") || level.contains("#"))) {
                throw new IllegalArgumentException("wildcards must fill a whole level, not '" + level + "' in '" + filter + "'");
            }
            if (level.equals("#") && i != levels.length - 1) {
                throw new IllegalArgumentException("'#' must be the last level of a filter, not in '" + filter + "'");
            }
        }
        return filter;
    }
}
