/** Every command ends: EXPIRED past its delivery deadline, LOST when its node died while it ran. */
package dev.hostops.dispatcher.deadline;
