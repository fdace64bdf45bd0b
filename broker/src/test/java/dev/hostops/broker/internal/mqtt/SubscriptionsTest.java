package dev.hostops.broker.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.Qos;
import org.junit.jupiter.api.Test;

/** Which subscribe call may share another's subscription at the broker ({@link Subscriptions.Entry#covers}). */
class SubscriptionsTest {
    private static final MessageHandler IGNORE = message -> { };
    private final Subscriptions subscriptions = new Subscriptions();

    @Test
    void aWiderFilterAtTheSameQosCoversANarrowerOne() {
        Subscriptions.Entry wide = subscriptions.add("hostops/v1/node/#", Qos.AT_LEAST_ONCE, IGNORE, false);
        Subscriptions.Entry narrow = subscriptions.add("hostops/v1/node/+/result", Qos.AT_LEAST_ONCE, IGNORE, false);

        assertThat(wide.covers(narrow)).isTrue();
        assertThat(narrow.covers(wide)).isFalse();
    }

    @Test
    void subscriptionsThatDifferInNoLocalNeverShare() {
        Subscriptions.Entry wideOthers = subscriptions.add("hostops/v1/node/#", Qos.AT_LEAST_ONCE, IGNORE, true);
        Subscriptions.Entry narrowAll = subscriptions.add("hostops/v1/node/+/cmd", Qos.AT_LEAST_ONCE, IGNORE, false);
        Subscriptions.Entry wideAll = subscriptions.add("hostops/v1/#", Qos.AT_LEAST_ONCE, IGNORE, false);
        Subscriptions.Entry narrowOthers = subscriptions.add("hostops/v1/node/+/cmd", Qos.AT_LEAST_ONCE, IGNORE, true);

        assertThat(wideOthers.covers(narrowAll)).as("the narrower one would miss its own messages").isFalse();
        assertThat(wideAll.covers(narrowOthers)).as("the narrower one would get its own messages").isFalse();
        assertThat(wideOthers.covers(narrowOthers)).isTrue();
    }
}
