package dev.hostops.dispatcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.dispatcher.fanout.FanOutView;
import java.util.List;
import java.util.Map;

/**
 * A fan-out request as {@code details=false} shows it: the request view with each invocation's
 * node, command id and status, without the command itself. The members are those of
 * {@link FanOutView}, in the same order.
 */
record BriefRequestView(String requestId, String state, String maxConcurrency, String maxErrors, int total, int errors,
                        Map<String, Integer> counts, List<BriefInvocation> invocations, boolean tracked) {

    record BriefInvocation(String node, String commandId, String status,
                           @JsonInclude(JsonInclude.Include.NON_NULL) ErrorInfo error) {}

    static BriefRequestView of(FanOutView v) {
        List<BriefInvocation> invocations = v.invocations().stream()
                .map(i -> new BriefInvocation(i.node(), i.commandId(), i.status(), i.error())).toList();
        return new BriefRequestView(v.requestId(), v.state(), v.maxConcurrency(), v.maxErrors(), v.total(), v.errors(),
                v.counts(), invocations, v.tracked());
    }
}
