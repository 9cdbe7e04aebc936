package io.switchboard.gateway.quota;

import io.switchboard.core.limits.RateLimit;

/**
 * The node-wide bounds a new stream must pass, shared by every event loop: streams per user (cluster-wide), per
 * client address, and how fast one address may open them (a reconnect storm, or someone making the node do the
 * work of admitting streams in a loop, is refused with 429 before any token is verified).
 */
public record StreamLimits(StreamQuota perUser, ConnectionsPerIp perAddress, RateLimit opensPerAddress) {}
