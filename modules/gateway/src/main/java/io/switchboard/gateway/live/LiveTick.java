package io.switchboard.gateway.live;

import java.util.Map;

/**
 * What moved in one conflation interval: the newest position frame of each driver that moved, and one fleet
 * update per tenant with all of its drivers that moved. Immutable: every event loop reads the same tick.
 */
public record LiveTick(Map<String, LiveFrame> drivers, Map<String, LiveFrame> fleets) {}
