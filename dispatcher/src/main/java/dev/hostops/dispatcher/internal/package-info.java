/** Implementation details of the dispatcher; not an API. */
package dev.hostops.dispatcher.internal;
