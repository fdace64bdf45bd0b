package dev.hostops.dispatcher.fanout;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.dispatcher.ledger.CommandView;

/**
 * One node of a fan-out request.
 *
 * @param status    the command's status once dispatched, else an {@link InvocationState}
 * @param command   the command as the ledger has it, or null before dispatch
 * @param error     why a DISPATCH_FAILED invocation never became a command; left out otherwise
 */
public record Invocation(String node, String commandId, String status, CommandView command,
                         @JsonInclude(JsonInclude.Include.NON_NULL) ErrorInfo error) {}
