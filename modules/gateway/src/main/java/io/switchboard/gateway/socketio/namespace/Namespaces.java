package io.switchboard.gateway.socketio.namespace;

import java.util.List;

/**
 * The namespaces we serve: {@code /} (the seller dashboard's) and {@code /notifications} (the meal app's). They
 * behave alike, except that a customer's own notifications come unasked on {@code /notifications}. Any other
 * namespace is refused with {@code Invalid namespace}, as the reference server refuses one it does not know.
 */
public final class Namespaces {

  public static final List<String> ALL = List.of("/", "/notifications");
  public static final int COUNT = ALL.size();
  public static final int NOTIFICATIONS = 1;

  private Namespaces() {}

  /** The namespace's index, or -1 when we do not serve it. */
  public static int indexOf(String nsp) {
    return ALL.indexOf(nsp);
  }
}
