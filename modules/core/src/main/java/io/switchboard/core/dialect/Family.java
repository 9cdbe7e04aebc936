package io.switchboard.core.dialect;

/**
 * The endpoint families, each with its dialect. A connection's format is its family and naming: the frames of an
 * event are encoded at most once per format per node, whatever the number of subscribers.
 */
public enum Family {
  CORE(new CoreDialect()),
  SHOP(new ShopDialect()),
  DELIVERY(new DeliveryDialect()),
  TENANT(new TenantDialect()),
  DASHBOARD(new DashboardDialect());

  public static final int FORMATS = values().length * Naming.values().length;

  private final Dialect dialect;

  Family(Dialect dialect) {
    this.dialect = dialect;
  }

  public Dialect dialect() {
    return dialect;
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
