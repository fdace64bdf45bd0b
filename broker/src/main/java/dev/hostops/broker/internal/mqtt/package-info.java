/**
 * The MQTT 5 transport over Eclipse Paho. One Paho client per network connection; reconnecting,
 * re-subscribing, re-sending unacknowledged publishes ({@link dev.hostops.broker.internal.mqtt.PublishPipeline})
 * and routing messages to handlers ({@link dev.hostops.broker.internal.mqtt.InboundDispatcher}) are done here.
 */
package dev.hostops.broker.internal.mqtt;
