package io.switchboard.core.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers tokens that verified, until their {@code exp}, so a service publishing many events with one token
 * pays the signature check once. Keyed by the whole token (signature included); bounded; one per thread, so
 * no locking.
 */
final class VerifiedTokenCache {

  private record Cached(Principal principal, long expiresAtMillis) {}

  private static final int MAX = 1024;

  private final ThreadLocal<LinkedHashMap<String, Cached>> maps = ThreadLocal.withInitial(
      () -> new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
          return size() > MAX;
        }
      });

  Principal get(String token, long nowMillis) {
    LinkedHashMap<String, Cached> map = maps.get();
    Cached e = map.get(token);
    if (e == null) {
      return null;
    }
    if (e.expiresAtMillis() <= nowMillis) {
      map.remove(token);
      return null;
    }
    return e.principal();
  }

  void put(String token, Principal principal, long expiresAtMillis) {
    maps.get().put(token, new Cached(principal, expiresAtMillis));
  }
}
