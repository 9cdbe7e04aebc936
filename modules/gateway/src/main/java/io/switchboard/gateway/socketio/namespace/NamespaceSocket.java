package io.switchboard.gateway.socketio.namespace;

import io.switchboard.gateway.fanout.OpenStreams;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.dialect.Family;
import io.switchboard.gateway.access.AccessWatch;
import io.switchboard.gateway.fanout.OrderedDelivery;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import io.switchboard.gateway.live.LiveFrame;
import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.protocol.SocketCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where events are written to a Socket.IO socket: one client's connection to one namespace, a subscriber of the
 * same fan-out as SSE streams ({@link OrderedDelivery}: replay, holding back, exactly once, cut-off). Its channels
 * are its rooms' channels; an event reaches it once however many of its rooms it is in, and is emitted once per
 * room family that shows it (a customer in an order's room who also gets notifications receives both
 * {@code orderStatusUpdate} and {@code notification}, with the same offset). The packets go to its engine session,
 * pre-encoded. Lives on its session's event loop.
 */
public final class NamespaceSocket extends OrderedDelivery {

  @Override
  public String transport() {
    return OpenStreams.SOCKET_IO;
  }

  @Override
  public String family() {
    return OpenStreams.SOCKET_IO; // its rooms may mix families
  }


  private static final Family[] FAMILIES = Family.values();

  private final EngineSession session;
  private final String nsp;
  private final int nsIndex;
  private final String id;
  private String pid;
  private final String owner;
  private final String client;
  private final List<String> countedChannels;
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private final Map<String, Integer> familiesByChannel = new HashMap<>();
  private List<String> channels = List.of();
  private EncodedEvent sized;
  private int sizedFamilies;

  NamespaceSocket(EngineSession session, String nsp, String id, String pid, Principal principal, EventView view,
                  Collection<Room> initialRooms, int maxHeldBytes, String owner, String client) {
    super(principal, view, maxHeldBytes);
    this.session = session;
    this.nsp = nsp;
    this.nsIndex = Namespaces.indexOf(nsp);
    this.id = id;
    this.pid = pid;
    this.owner = owner;
    this.client = client;
    for (Room r : initialRooms) {
      add(r);
    }
    this.countedChannels = channels;
  }

  public String nsp() {
    return nsp;
  }

  public String id() {
    return id;
  }

  public String pid() {
    return pid;
  }

  /** A fresh private id: the one the client asked to recover was unknown or too old. */
  void renewPid(String fresh) {
    this.pid = fresh;
  }

  String owner() {
    return owner;
  }

  String client() {
    return client;
  }

  /** The channels it was counted with when it opened (rooms change; the counts must balance). */
  List<String> countedChannels() {
    return countedChannels;
  }

  EngineSession session() {
    return session;
  }

  @Override
  public List<String> channels() {
    return channels;
  }

  public Collection<Room> rooms() {
    return rooms.values();
  }

  /** The names of the rooms its client joined (the automatic ones have no client name and come back by themselves). */
  List<String> joinedRoomNames() {
    List<String> names = new ArrayList<>();
    for (Room r : rooms.values()) {
      if (r.family() != Family.NOTIFICATION) {
        names.add(r.name());
      }
    }
    return names;
  }

  String tenant() {
    Principal p = principal();
    return p == null ? "" : p.tenant();
  }

  Room room(String name) {
    return rooms.get(name);
  }

  /** Its view of events changes with its rooms (a customer who joins a run's room sees their own stops only). */
  void updateView(EventView v) {
    view(v);
  }

  boolean inRoom(String name) {
    return rooms.containsKey(name);
  }

  int roomCount() {
    return rooms.size();
  }

  /** Adds a room; returns true when its channel is new to this socket (the fan-out must index it). */
  boolean add(Room r) {
    if (rooms.putIfAbsent(r.name(), r) != null) {
      return false;
    }
    boolean newChannel = !familiesByChannel.containsKey(r.channel());
    familiesByChannel.merge(r.channel(), 1 << r.family().ordinal(), (a, b) -> a | b);
    rebuildChannels();
    return newChannel;
  }

  /** Removes a room; returns true when no other room uses its channel any more (the fan-out must drop it). */
  boolean remove(String name) {
    Room r = rooms.remove(name);
    if (r == null) {
      return false;
    }
    int mask = 0;
    for (Room other : rooms.values()) {
      if (other.channel().equals(r.channel())) {
        mask |= 1 << other.family().ordinal();
      }
    }
    if (mask == 0) {
      familiesByChannel.remove(r.channel());
    } else {
      familiesByChannel.put(r.channel(), mask);
    }
    rebuildChannels();
    return mask == 0;
  }

  private void rebuildChannels() {
    channels = List.copyOf(familiesByChannel.keySet());
    sized = null;
  }

  /** The families that show {@code e} to this socket: one bit per family of the rooms among its channels. */
  private int familiesOf(EncodedEvent e) {
    if (e == sized) {
      return sizedFamilies;
    }
    int mask = 0;
    List<String> chs = e.channels();
    for (int i = 0; i < chs.size(); i++) {
      Integer m = familiesByChannel.get(chs.get(i));
      if (m != null) {
        mask |= m;
      }
    }
    sized = e;
    sizedFamilies = mask;
    return mask;
  }

  @Override
  protected int sizeOf(EncodedEvent e) {
    EncodedEvent v = seen(e);
    if (v == null) {
      return -1;
    }
    int mask = familiesOf(v);
    int size = 0;
    for (int f = 0; mask != 0; f++, mask >>>= 1) {
      if ((mask & 1) != 0) {
        SocketFrame frame = SocketFrame.of(v, FAMILIES[f], nsIndex);
        if (frame != SocketFrame.NONE) {
          size += frame.size();
        }
      }
    }
    return size == 0 ? -1 : size;
  }

  @Override
  protected void write(EncodedEvent e) {
    EncodedEvent v = seen(e);
    int mask = familiesOf(v);
    for (int f = 0; mask != 0; f++, mask >>>= 1) {
      if ((mask & 1) != 0) {
        SocketFrame frame = SocketFrame.of(v, FAMILIES[f], nsIndex);
        if (frame != SocketFrame.NONE) {
          session.send(frame.text(), frame.frame());
        }
      }
    }
  }

  @Override
  protected void flushTransport() {
    session.flush();
  }

  @Override
  public boolean writable() {
    return session.writable();
  }

  /** Cut off: the whole engine session closes; the client reconnects and recovers from its offset. */
  @Override
  protected void closeTransport() {
    session.close("server cut off a slow client");
  }

  /** A transient event: shown only once live, never replayed, no offset. */
  @Override
  public boolean offerTransient(EncodedEvent e) {
    if (isClosed() || !isLive() || sizeOf(e) < 0) {
      return false;
    }
    if (!session.writable()) {
      cutOff();
      return false;
    }
    write(e);
    return true;
  }

  /** A live position frame, emitted under its own name ({@code location}, {@code fleet}) without an offset. */
  @Override
  public boolean offerLive(LiveFrame live) {
    if (isClosed() || !positionsReady()) {
      return false;
    }
    if (!session.writable()) {
      cutOff();
      return false;
    }
    SocketFrame frame = SocketFrame.of(live, nsIndex);
    session.send(frame.text(), frame.frame());
    return true;
  }

  void startPositions() {
    positionsStarted();
  }

  /** Emits a control event (its last argument an object, so the client's offset stays) and flushes. */
  void emit(String event, JsonObject payload) {
    if (!isClosed()) {
      session.send(SocketCodec.event(nsp, event, payload.encode()), null);
      session.flush();
    }
  }

  /** Writes a packet that is not an event (CONNECT, ACK, DISCONNECT) and flushes. */
  void sendPacket(String packet) {
    if (!isClosed()) {
      session.send(packet, null);
      session.flush();
    }
  }

  /** Marks the position it is at without an event: the client's offset after a join, or right after connecting. */
  void markOffset(long offset) {
    skipTo(offset);
    if (!isClosed()) {
      session.send(SocketCodec.event(nsp, "switchboard:offset", "\"" + offset + "\""), null);
      session.flush();
    }
  }

  /**
   * Its access ended. An expired token ends the whole connection (the client reconnects, and with a fresh token
   * from its {@code auth} callback recovers exactly); access revoked ends this namespace only, with a DISCONNECT,
   * after which the client does not reconnect by itself.
   */
  @Override
  public void accessEnded(String reason) {
    boolean expired = AccessWatch.TOKEN_EXPIRED.equals(reason);
    emit("access_ended", new JsonObject().put("reason", reason).put("offset", lastSent())
        .put("message", expired ? "the token expired; reconnect with a fresh one to recover"
            : "access to these rooms ended"));
    if (expired) {
      session.close("token expired");
    } else {
      sendPacket(SocketCodec.disconnect(nsp));
      onRevoked.run();
    }
  }

  private Runnable onRevoked = () -> { };

  void onRevoked(Runnable r) {
    this.onRevoked = r;
  }

  /** Closed for good (the engine session ended or the namespace disconnected). */
  void closeQuietly() {
    close();
  }

  /** The socket's state for another node taking over its connection (an upgrade that landed there). */
  JsonObject handover() {
    return new JsonObject().put("nsp", nsp).put("id", id).put("pid", pid)
        .put("principal", PrincipalJson.of(principal()))
        .put("rooms", new JsonArray(joinedRoomNames()))
        .put("lastSent", lastSent());
  }
}
