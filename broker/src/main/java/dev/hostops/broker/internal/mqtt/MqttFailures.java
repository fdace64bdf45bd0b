package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.Mqtt5ReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Sentences for the HiveMQ client's failures: what the broker said (with its MQTT reason code) or why the connection failed. */
final class MqttFailures {
    private MqttFailures() {}

    /** The failure itself, without the wrappers futures put around it. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The reason code of a CONNACK, PUBACK or DISCONNECT the broker answered with, if that is the failure. */
    static Optional<Mqtt5ReasonCode> reasonCode(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof Mqtt5ConnAckException c) {
            return Optional.of(c.getMqttMessage().getReasonCode());
        }
        if (t instanceof Mqtt5PubAckException p) {
            return Optional.of(p.getMqttMessage().getReasonCode());
        }
        if (t instanceof Mqtt5DisconnectException d) {
            return Optional.of(d.getMqttMessage().getReasonCode());
        }
        return Optional.empty();
    }

    /** True when the broker refused the login itself (CONNACK 0x86 Bad User Name or Password, 0x87 Not Authorized). */
    static boolean loginRefused(Throwable e) {
        return unwrap(e) instanceof Mqtt5ConnAckException c
                && (c.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
                || c.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    /** E.g. "the broker refused: NOT_AUTHORIZED (MQTT reason code 0x87)", or the message with its root cause. */
    static String describe(Throwable e) {
        if (e == null) {
            return "no cause given";
        }
        Throwable t = unwrap(e);
        Optional<Mqtt5ReasonCode> code = reasonCode(t);
        if (code.isPresent() && code.get().isError()) {
            return "the broker refused: " + code.get() + " (MQTT reason code " + hex(code.get()) + ")";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return t.getMessage() + (root != t ? " (" + root + ")" : "");
    }

    static String hex(Mqtt5ReasonCode code) {
        return String.format("0x%02x", code.getCode());
    }
}
