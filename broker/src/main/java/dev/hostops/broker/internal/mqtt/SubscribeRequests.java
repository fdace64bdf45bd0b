package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.TransportException;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Sends one SUBSCRIBE and settles the subscription's future from the SUBACK. */
final class SubscribeRequests {
    private SubscribeRequests() {}

    /**
     * @param again   true when restoring after a reconnect: then retained messages are only sent if
     *                the broker no longer had the subscription (MQTT 5 retain handling 1), so a
     *                resumed session does not get every retained message twice
     * @param current whether the connection is still the live one (failures on a dead one are retried
     *                by the next reconnect instead of failing the future)
     */
    static void send(PahoConnection c, Subscriptions.Entry e, boolean again, Subscriptions registry,
            Predicate<PahoConnection> current) {
        MqttSubscription sub = new MqttSubscription(e.filter(), e.qos().level());
        sub.setRetainHandling(again ? 1 : 0);
        MqttProperties props = new MqttProperties();
        if (c.subscriptionIdentifiers()) {
            props.setSubscriptionIdentifier(e.id());
        }
        try {
            c.client().subscribe(new MqttSubscription[] {sub}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        refused(e, registry, "MQTT reason code 0x" + Integer.toHexString(codes[0]));
                    } else {
                        e.acked().complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    if (current.test(c) && c.client().isConnected()) {
                        refused(e, registry, failure.getMessage());
                    }
                }
            }, props);
        } catch (MqttException | RuntimeException failure) {
            if (current.test(c) && c.client().isConnected()) {
                refused(e, registry, failure.getMessage());
            }
        }
    }

    private static void refused(Subscriptions.Entry e, Subscriptions registry, String why) {
        registry.remove(e);
        e.acked().completeExceptionally(new TransportException("broker refused the subscription to '" + e.filter() + "': " + why));
    }
}
