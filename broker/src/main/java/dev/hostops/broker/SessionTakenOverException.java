package dev.hostops.broker;

/**
 * Why a connection was lost: another client connected with this transport's client id, and the
 * broker handed it the session and ended this connection (MQTT 5 DISCONNECT reason code 0x8E,
 * Session taken over). Given to {@link ConnectionListener}s as the cause of the move to
 * RECONNECTING. The transport still reconnects, which takes the session back, but waits longer
 * after each takeover (1 s doubling to its maximum reconnect delay) so two processes that share a
 * client id do not take it from each other many times a second. More than one now and then means
 * exactly that: two processes use one client id.
 */
public class SessionTakenOverException extends TransportException {
    private static final long serialVersionUID = 1L;

    public SessionTakenOverException(String message, Throwable cause) {
        super(message, cause);
    }
}
