package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import java.util.concurrent.TimeoutException;

/** Turns a failed connection attempt into a sentence a person understands, without the password. */
final class ConnectFailures {
    private ConnectFailures() {}

    static TransportException describe(Exception e, TransportOptions options) {
        if (e instanceof TransportException te) {
            return te;
        }
        if (e instanceof AuthenticationFailureException || e instanceof PossibleAuthenticationFailureException) {
            return new AccessRefusedException("the broker at " + options.url() + " refused the credentials"
                    + (options.url().username() == null ? " (none given: the client's default guest user)" : "")
                    + " or access to virtual host '" + options.url().virtualHost() + "'", e);
        }
        if (e instanceof TimeoutException) {
            return new TransportException("no answer from the broker at " + options.url() + " within "
                    + options.connectTimeout().toMillis() + " ms", e);
        }
        String why = e.getMessage() != null ? e.getMessage()
                : e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : e.getClass().getSimpleName();
        return new TransportException("cannot connect to the broker at " + options.url() + ": " + why, e);
    }
}
