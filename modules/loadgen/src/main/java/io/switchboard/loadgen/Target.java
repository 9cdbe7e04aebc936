package io.switchboard.loadgen;

import io.vertx.core.buffer.Buffer;

/**
 * How to subscribe and publish on one kind of server, so that Switchboard and its peers (Nchan, a Node.js SSE
 * server with Redis) are driven by the same load. The payload always carries {@code "t":<epoch micros>}.
 */
enum Target {

  /**
   * Switchboard: {@code GET /api/v1/realtime/stream?channel=}, {@code POST /api/v1/events}. Free-form channels
   * live in a tenant's namespace: {@code tenant:bench:<channel>}, with a token of tenant {@code bench}.
   */
  SWITCHBOARD {
    @Override
    String subscribePath(String channel) {
      return "/api/v1/realtime/stream?channel=tenant:bench:" + channel;
    }

    @Override
    String publishPath(String channel) {
      return "/api/v1/events";
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return Buffer.buffer("{\"channels\":[\"tenant:bench:" + channel + "\"],\"type\":\"bench\",\"data\":{\"t\":" + micros
          + pad(padding) + "}}");
    }
  },

  /**
   * Switchboard fed through the Redis bridge: the same streams as {@link #SWITCHBOARD}, but every event is an
   * {@code XADD} to the bridge's durable inbound stream (see {@code LoadGen --redis --stream}).
   */
  BRIDGE {
    @Override
    String subscribePath(String channel) {
      return SWITCHBOARD.subscribePath(channel);
    }

    @Override
    String publishPath(String channel) {
      return "";
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return SWITCHBOARD.publishBody(channel, micros, padding);
    }
  },

  /**
   * Switchboard's commerce API: channel {@code bench:k} is order {@code bench-order-k}, watched through the
   * delivery seed's {@code /api/v1/realtime/orders/{id}/stream} and updated with {@code PATCH /api/v1/orders/{id}}
   * (the time travels in {@code notes} as {@code t=<micros>}). The orders are created by {@link OrderFixture}.
   */
  ORDERS {
    @Override
    String subscribePath(String channel) {
      return "/api/v1/realtime/orders/" + OrderFixture.orderId(channel) + "/stream";
    }

    @Override
    String publishPath(String channel) {
      return "/api/v1/orders/" + OrderFixture.orderId(channel);
    }

    @Override
    io.vertx.core.http.HttpMethod publishMethod() {
      return io.vertx.core.http.HttpMethod.PATCH;
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return Buffer.buffer("{\"notes\":\"t=" + micros + "\"}");
    }
  },

  /** Nchan: {@code GET /sub/<channel>} (EventSource), {@code POST /pub/<channel>} with the message as body. */
  NCHAN {
    @Override
    String subscribePath(String channel) {
      return "/sub/" + channel;
    }

    @Override
    String publishPath(String channel) {
      return "/pub/" + channel;
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return Buffer.buffer("{\"type\":\"bench\",\"data\":{\"t\":" + micros + pad(padding) + "}}");
    }
  },

  /** The Node.js peer of deploy/bench/node-sse: {@code GET /stream?channel=}, {@code POST /publish}. */
  NODE {
    @Override
    String subscribePath(String channel) {
      return "/stream?channel=" + channel;
    }

    @Override
    String publishPath(String channel) {
      return "/publish";
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return Buffer.buffer("{\"channel\":\"" + channel + "\",\"type\":\"bench\",\"data\":{\"t\":" + micros
          + pad(padding) + "}}");
    }
  },

  /**
   * Switchboard's Socket.IO: room {@code tenant:bench:<channel>} (a channel name is a room), published like
   * {@link #SWITCHBOARD}.
   */
  SOCKETIO {
    @Override
    String subscribePath(String channel) {
      return "tenant:bench:" + channel;
    }

    @Override
    String publishPath(String channel) {
      return SWITCHBOARD.publishPath(channel);
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return SWITCHBOARD.publishBody(channel, micros, padding);
    }
  },

  /**
   * The Node.js socket.io 4.8 peer with @socket.io/redis-adapter (deploy/bench/node-socketio): room
   * {@code <channel>}, {@code POST /publish} emits to it on every instance.
   */
  NODE_SOCKETIO {
    @Override
    String subscribePath(String channel) {
      return channel;
    }

    @Override
    String publishPath(String channel) {
      return "/publish";
    }

    @Override
    Buffer publishBody(String channel, long micros, int padding) {
      return NODE.publishBody(channel, micros, padding);
    }
  };

  /** Socket.IO targets subscribe by joining a room over WebSocket; {@link #subscribePath} is the room. */
  boolean socketIo() {
    return this == SOCKETIO || this == NODE_SOCKETIO;
  }

  abstract String subscribePath(String channel);

  abstract String publishPath(String channel);

  io.vertx.core.http.HttpMethod publishMethod() {
    return io.vertx.core.http.HttpMethod.POST;
  }

  abstract Buffer publishBody(String channel, long micros, int padding);

  private static String pad(int padding) {
    return padding <= 0 ? "" : ",\"pad\":\"" + "x".repeat(padding) + "\"";
  }
}
