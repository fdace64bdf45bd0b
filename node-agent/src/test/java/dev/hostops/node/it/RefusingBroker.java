package dev.hostops.node.it;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import dev.hostops.broker.BrokerUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real MQTT 5 broker (HiveMQ CE, in this JVM) whose authorizer refuses the subscriptions and
 * publishes a test names, with reason code 0x87 Not Authorized, as a broker with per-topic ACLs
 * does. Unlike Mosquitto 2.0, which grants a forbidden subscription and filters at delivery, it
 * answers the SUBSCRIBE itself with SUBACK 0x87. The sets may change while clients are connected.
 */
final class RefusingBroker implements AutoCloseable {
    /** Topic filters whose SUBSCRIBE is answered with SUBACK 0x87. */
    final Set<String> refusedSubscriptions = ConcurrentHashMap.newKeySet();
    /** Topics whose PUBLISH is answered with PUBACK 0x87. */
    final Set<String> refusedPublishes = ConcurrentHashMap.newKeySet();
    private final EmbeddedHiveMQ hivemq;
    private final int port;

    RefusingBroker(Path dir) throws Exception {
        port = freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        EmbeddedExtension acl = EmbeddedExtension.builder().withId("hostops-test-acl").withName("hostops test ACL")
                .withVersion("1").withAuthor("hostops").withPriority(0).withStartPriority(0)
                .withExtensionMain(new Acl()).build();
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withEmbeddedExtension(acl).withoutLoggingBootstrap().build();
        hivemq.start().get();
    }

    BrokerUrl url() {
        return new BrokerUrl(BrokerUrl.Scheme.MQTT, "127.0.0.1", port, null, null, null);
    }

    @Override
    public void close() throws Exception {
        hivemq.close();
    }

    private final class Acl implements ExtensionMain, SubscriptionAuthorizer, PublishAuthorizer {
        @Override
        public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
            Services.securityRegistry().setAuthenticatorProvider(i -> (SimpleAuthenticator) (a, o) -> o.authenticateSuccessfully());
            Services.securityRegistry().setAuthorizerProvider(i -> this);
        }

        @Override
        public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput in, SubscriptionAuthorizerOutput out) {
            if (refusedSubscriptions.contains(in.getSubscription().getTopicFilter())) {
                out.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "the test ACL refuses this subscription");
            } else {
                out.authorizeSuccessfully();
            }
        }

        @Override
        public void authorizePublish(PublishAuthorizerInput in, PublishAuthorizerOutput out) {
            if (refusedPublishes.contains(in.getPublishPacket().getTopic())) {
                out.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "the test ACL refuses this publish");
            } else {
                out.authorizeSuccessfully();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
