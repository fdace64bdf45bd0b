package dev.hostops.dispatcher.auth;

import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Who made a request: the token's name (never the token), its roles and the nodes it may act on. */
public record Principal(String name, Set<Role> roles, NodeScope nodes) {
    public Principal {
        Objects.requireNonNull(name, "name must not be null");
        roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        nodes = nodes == null ? NodeScope.everyNode() : nodes;
    }

    public Principal(String name, Set<Role> roles) {
        this(name, roles, NodeScope.everyNode());
    }

    /** True when this principal holds {@code role}, directly or through {@link Role#ADMIN}. */
    public boolean has(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }

    /** True when this token may see {@code node}'s commands, approvals and events (a null node: only an unlimited token). */
    public boolean sees(String node) {
        return nodes.allows(node);
    }

    /** @throws DispatcherException 403 FORBIDDEN when this token is limited to some nodes */
    public void requireEveryNode(String action) {
        if (!nodes.isEveryNode()) {
            throw new DispatcherException(ApiError.FORBIDDEN, "token '" + name + "' may not " + action
                    + ": it is limited to some nodes (" + nodes + "), and this covers every node");
        }
    }

    /** @throws DispatcherException 403 FORBIDDEN, naming the node and the token's nodes, when it may not act on {@code node} */
    public void requireNode(String node, String action) {
        if (!nodes.allows(node)) {
            throw new DispatcherException(ApiError.FORBIDDEN, "token '" + name + "' may not " + action + " on node '" + node
                    + "' (its nodes: " + nodes + ")");
        }
    }
}
