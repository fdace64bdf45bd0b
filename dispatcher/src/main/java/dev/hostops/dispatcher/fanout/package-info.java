/** One command on many nodes, with maxConcurrency and maxErrors as in AWS SSM Run Command. */
package dev.hostops.dispatcher.fanout;
