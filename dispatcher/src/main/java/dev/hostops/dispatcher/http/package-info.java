/** The HTTP API on Vert.x: routes, bearer-token checks, JSON errors, server-sent events. See docs/API.md. */
package dev.hostops.dispatcher.http;
