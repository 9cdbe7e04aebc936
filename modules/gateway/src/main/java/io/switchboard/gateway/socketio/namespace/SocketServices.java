package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.gateway.access.AccessWatch;
import io.switchboard.gateway.admission.StreamAdmission;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.resume.Resumer;
import io.switchboard.gateway.socketio.cluster.RecoveryStore;
import io.switchboard.gateway.stats.SubscriberCounts;
import io.vertx.core.Vertx;

/**
 * What the sockets of one event loop share with every other subscriber of that loop (the fan-out, resume, access
 * watch) and of the node (its id, admission, counts, the cluster's recovery store), and the Socket.IO settings.
 */
public record SocketServices(String nodeId, Vertx vertx, SwitchboardConfig.SocketIo settings, int maxBufferBytes, Fanout fanout,
                             Resumer resumer, StreamAdmission admission, AccessWatch watch, SubscriberCounts counts,
                             RecoveryStore recovery) {}
