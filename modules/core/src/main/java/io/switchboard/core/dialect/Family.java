package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;

/**
 * The endpoint families, each with its dialect. A connection's format is its family and naming: the frames of an
 * event are encoded at most once per format per node, whatever the number of subscribers.
 */
public enum Family {
  CORE(new CoreDialect()),
  SHOP(new ShopDialect()),
  DELIVERY(new DeliveryDialect()),
  TENANT(new TenantDialect()),
  DASHBOARD(new DashboardDialect()),
  MEAL(new MealDialect()),
  NOTIFICATION(new NotificationDialect());

  public static final int FORMATS = values().length * Naming.values().length;

  private final Dialect dialect;

  Family(Dialect dialect) {
    this.dialect = dialect;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * The event as this family shows it; null when the family does not show it, or cannot render it (its data is not
   * what the type promises: see {@link RenderFailures}). Never throws, so one event cannot stop a fan-out or a
   * resume.
   */
  public Frame render(Event event) {
    try {
      return dialect.render(event);
    } catch (RuntimeException e) {
      RenderFailures.record(this, event, e);
      return null;
    }
  }

  /** A dense index of (family, naming), for per-event frame caches. */
  public int format(Naming naming) {
    return ordinal() * Naming.values().length + naming.ordinal();
  }

  public static Family ofFormat(int format) {
    return values()[format / Naming.values().length];
  }

  public static Naming namingOfFormat(int format) {
    return Naming.values()[format % Naming.values().length];
  }
}
