/**
 * Generates broker credentials and access rules for a set of nodes: a Mosquitto password file
 * (PBKDF2-SHA512, {@code $7$}, as {@code mosquitto_passwd} writes it) and ACL file, and a RabbitMQ
 * definitions file with users, permissions and topic permissions on {@code amq.topic}. A node
 * reads only its own {@code cmd} and {@code control} and writes only its own {@code presence},
 * {@code state}, {@code log}, {@code result} and {@code approval}; the dispatcher commands every
 * node and reads everything; a dashboard only reads. {@code hostops broker acl} is the command line.
 */
package dev.hostops.broker.acl;
