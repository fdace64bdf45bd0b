package dev.hostops.dispatcher;

/**
 * The life of a {@link Dispatcher}.
 *
 * <pre>
 * NEW ─start()─&gt; STARTING ─&gt; RUNNING ─close()─&gt; CLOSING ─&gt; CLOSED
 *                    └─(failure)─&gt; CLOSED (start() throws)
 * </pre>
 *
 * A dispatcher never leaves CLOSED; make a new one to start again.
 */
public enum DispatcherState {
    NEW, STARTING, RUNNING, CLOSING, CLOSED
}
