package dev.hostops.dispatcher.http;

import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.fanout.FanOutRequest;

/**
 * A parsed {@code POST /v1/commands} body: either one command ({@code exec}) or a request to
 * many nodes ({@code fanOut}); exactly one is set.
 *
 * @param expiresIn the relative deadline when the body gave one (the exec then has no
 *                  {@code expiresAt}: the dispatcher fills it in as it records the command), or null
 */
record SubmitBody(Exec exec, java.time.Duration expiresIn, FanOutRequest fanOut) {
    boolean single() {
        return exec != null;
    }
}
