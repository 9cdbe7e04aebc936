package io.switchboard.core.dialect;

/**
 * The canonical event types: one per business change, born in the transaction that made it. Dialects render
 * them for each endpoint family; docs/events.md lists what each becomes where.
 */
public final class Canonical {

  public static final String ORDER_CREATED = "order.created";
  public static final String ORDER_UPDATED = "order.updated";
  public static final String ORDER_STATUS_CHANGED = "order.status_changed";
  public static final String ORDER_DELETED = "order.deleted";
  public static final String PAYMENT_SUCCEEDED = "payment.succeeded";
  public static final String PAYMENT_FAILED = "payment.failed";
  public static final String ORDER_SHIPPED = "order.shipped";
  public static final String TRACKING_UPDATED = "order.tracking_updated";
  public static final String ORDER_DELIVERED = "order.delivered";

  public static final String STOCK_ADJUSTED = "stock.adjusted";
  public static final String STOCK_RESERVED = "stock.reserved";
  public static final String STOCK_COMMITTED = "stock.committed";
  public static final String STOCK_RELEASED = "stock.released";
  public static final String STOCK_LOW = "stock.low";

  public static final String RUN_CREATED = "run.created";
  public static final String RUN_DRIVER_ASSIGNED = "run.driver_assigned";
  public static final String RUN_STARTED = "run.started";
  public static final String RUN_STOP_COMPLETED = "run.stop_completed";
  public static final String RUN_COMPLETED = "run.completed";
  /** The driver came within the arrival radius of a stop (born in the ingest role, from GPS). */
  public static final String RUN_STOP_ARRIVED = "run.stop_arrived";
  /** New ETAs for the run's remaining stops, at most one per run per ETA interval. */
  public static final String RUN_ETA_UPDATED = "run.eta_updated";
  /** The order's driver arrived: carries {@code actualArrival}. */
  public static final String ORDER_ARRIVED = "order.arrived";
  /** The order's stop has a new ETA: carries {@code estimatedArrival}. */
  public static final String ORDER_ETA_UPDATED = "order.eta_updated";

  public static final String DRIVER_LOCATION = "driver.location";

  private Canonical() {}

  public static boolean isOrderEvent(String type) {
    return type.startsWith("order.") || type.startsWith("payment.");
  }
}
