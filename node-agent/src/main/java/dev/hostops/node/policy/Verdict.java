package dev.hostops.node.policy;

/** What the policy says about a command: run it, ask a person first, or refuse it. */
public enum Verdict { ALLOW, ASK, DENY }
