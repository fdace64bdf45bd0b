/** The in-process event bus that feeds the live streams. */
package dev.hostops.dispatcher.events;
