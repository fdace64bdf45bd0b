package dev.hostops.broker;

/**
 * The broker refused this login an operation: the credentials at connect (MQTT CONNACK 0x86 Bad
 * User Name or Password, 0x87 Not Authorized; AMQP authentication failure), or, once connected, a
 * subscription or a publish its ACL forbids (MQTT SUBACK or PUBACK 0x87 Not Authorized; AMQP
 * channel error 403 ACCESS_REFUSED). Unlike a lost connection or a timeout, trying again with the
 * same login fails the same way until the broker's users or ACL change: a caller can tell the
 * person what to check instead of retrying in silence.
 */
public class AccessRefusedException extends TransportException {
    private static final long serialVersionUID = 1L;

    public AccessRefusedException(String message) {
        super(message);
    }

    public AccessRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
