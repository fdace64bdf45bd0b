package dev.hostops.node.exec;

/** Prints each argument it was given between brackets, one per line: what the program really got. */
public final class ArgvEcho {
    private ArgvEcho() {}

    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder();
        for (String arg : args) {
            sb.append('[').append(arg).append("]\n");
        }
        System.out.print(sb);
        System.out.flush();
    }
}
