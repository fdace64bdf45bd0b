package dev.hostops.broker.embedded;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * HiveMQ CE refuses every client unless an extension authenticates them. The embedded broker is
 * for one machine and listens on loopback, so it lets everyone in, as HiveMQ's own
 * allow-all extension does in the CE distribution.
 */
final class AllowAllExtension implements ExtensionMain {
    private static final SimpleAuthenticator ALLOW = (input, output) -> output.authenticateSuccessfully();

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> ALLOW);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // nothing registered that outlives the broker
    }
}
