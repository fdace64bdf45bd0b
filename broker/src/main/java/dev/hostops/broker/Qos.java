package dev.hostops.broker;

/** Delivery guarantee of a publish or subscription. hostops uses AT_LEAST_ONCE for everything that matters. */
public enum Qos {
    AT_MOST_ONCE(0),
    AT_LEAST_ONCE(1);

    private final int level;

    Qos(int level) {
        this.level = level;
    }

    public int level() {
        return level;
    }
}
