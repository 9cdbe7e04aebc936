package io.switchboard.core.node;

import io.vertx.core.Deployable;

import java.util.function.Supplier;

/** A verticle of a role, deployed {@code instances} times (per event loop for servers, else once). */
public record RoleVerticle(String name, Supplier<? extends Deployable> verticle, int instances) {

  public static RoleVerticle once(String name, Deployable verticle) {
    return new RoleVerticle(name, () -> verticle, 1);
  }
}
