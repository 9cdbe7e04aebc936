package io.switchboard.gateway.admission;

import io.switchboard.core.auth.Principal;
import io.switchboard.gateway.feed.EventView;

import java.util.List;

/**
 * A subscriber let in: who it is (null: anonymous), its channels, what it may see of events, and what it counts
 * against ({@code owner}: the per-user quota, {@code tenant/sub}, null when anonymous; {@code client}: the
 * per-address cap). Given back with {@link StreamAdmission#release} when it closes.
 */
public record Admitted(Principal principal, List<String> channels, EventView view, String owner, String client) {}
