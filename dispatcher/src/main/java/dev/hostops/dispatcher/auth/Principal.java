package dev.hostops.dispatcher.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Who made a request: the token's name (never the token) and its roles. */
public record Principal(String name, Set<Role> roles) {
    public Principal {
        Objects.requireNonNull(name, "name must not be null");
        roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** True when this principal holds {@code role}, directly or through {@link Role#ADMIN}. */
    public boolean has(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }
}
