package dev.hostops.dispatcher.fanout;

import java.util.List;
import java.util.Map;

/**
 * A fan-out request as the API shows it.
 *
 * @param state        RUNNING while invocations are pending or not terminal; DONE when all ended;
 *                     STOPPED when the error budget was spent (the rest are NOT_STARTED)
 * @param counts       invocations by status (command statuses plus PENDING and NOT_STARTED)
 * @param errors       invocations that ended other than SUCCEEDED
 * @param tracked      false when this dispatcher did not start the request (or restarted since):
 *                     then only dispatched invocations are known
 */
public record FanOutView(String requestId, String state, String maxConcurrency, String maxErrors, int total,
                         int errors, Map<String, Integer> counts, List<Invocation> invocations, boolean tracked) {

    public boolean done() {
        return !"RUNNING".equals(state);
    }
}
