package dev.hostops.dispatcher.http;

import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.fanout.FanOutRequest;

/**
 * A parsed {@code POST /v1/commands} body: either one command ({@code exec}) or a request to
 * many nodes ({@code fanOut}); exactly one is set.
 */
record SubmitBody(Exec exec, FanOutRequest fanOut) {
    boolean single() {
        return exec != null;
    }
}
