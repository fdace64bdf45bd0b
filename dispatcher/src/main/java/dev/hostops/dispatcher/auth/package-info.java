/** Bearer tokens and roles for the HTTP API. */
package dev.hostops.dispatcher.auth;
