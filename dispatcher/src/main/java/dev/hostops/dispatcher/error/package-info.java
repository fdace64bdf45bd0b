/** The API's stable error codes and the exception that carries them. */
package dev.hostops.dispatcher.error;
