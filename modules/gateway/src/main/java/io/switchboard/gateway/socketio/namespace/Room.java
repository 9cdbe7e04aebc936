package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.dialect.Family;

/**
 * A room as a client names it, the channel behind it, and how its events are emitted (the family whose frame name
 * becomes the event name and whose JSON becomes its payload).
 */
public record Room(String name, String channel, Family family) {}
