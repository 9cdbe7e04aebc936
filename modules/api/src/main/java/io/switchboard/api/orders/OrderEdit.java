package io.switchboard.api.orders;

import io.switchboard.api.http.JsonBody;

/**
 * What a PATCH (or the tenant PUT) asks to change. Null fields stay as they are; {@code clear*} flags say an
 * explicit JSON null was sent for a clearable field.
 */
record OrderEdit(OrderStatus status, String notes, boolean clearNotes, String assignedTo, boolean clearAssignedTo,
                 String deliveryAddress) {

  static OrderEdit parse(JsonBody body) {
    OrderStatus status = body.has("status") ? OrderStatus.of(body.oneOf("status", OrderStatus.NAMES)) : null;
    OrderEdit edit = new OrderEdit(status,
        body.optionalString("notes", 4000), body.isExplicitNull("notes"),
        body.optionalString("assignedTo", 200), body.isExplicitNull("assignedTo"),
        body.optionalString("deliveryAddress", 500));
    if (edit.isEmpty()) {
      throw JsonBody.invalid("nothing to change: send status, notes, assignedTo or deliveryAddress");
    }
    return edit;
  }

  boolean isEmpty() {
    return status == null && !changesFields();
  }

  boolean changesFields() {
    return notes != null || clearNotes || assignedTo != null || clearAssignedTo || deliveryAddress != null;
  }
}
