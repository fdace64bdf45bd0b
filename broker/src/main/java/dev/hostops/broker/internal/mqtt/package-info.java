/**
 * The MQTT 5 transport over the HiveMQ MQTT client. One client per transport, reconnected with
 * this package's backoff; publishing ({@link dev.hostops.broker.internal.mqtt.PublishPipeline}),
 * subscribing ({@link dev.hostops.broker.internal.mqtt.BrokerSubscriptions}) and handing messages
 * to handlers with in-order acknowledgement ({@link dev.hostops.broker.internal.mqtt.InboundDispatcher})
 * are done here.
 */
package dev.hostops.broker.internal.mqtt;
