/** The dispatcher's Micrometer meters, named in one place. */
package dev.hostops.dispatcher.metrics;
