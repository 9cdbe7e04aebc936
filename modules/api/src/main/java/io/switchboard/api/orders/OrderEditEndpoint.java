package io.switchboard.api.orders;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.Change;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.http.IfMatch;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.http.Reply;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * An order edit request (PATCH /api/v1/orders/{id}, PUT /api/tenants/{t}/orders/{id}): parsed first, so the
 * runner can take the one-statement path when the edit touches no stock, and a transaction otherwise.
 */
public final class OrderEditEndpoint {

  private final ChangeRunner runner;
  private final OrderBook book;

  public OrderEditEndpoint(ChangeRunner runner, OrderBook book) {
    this.runner = runner;
    this.book = book;
  }

  /** {@code tenantScope}: the tenant the order must belong to, or null. */
  public void handle(RoutingContext ctx, String orderId, String tenantScope, Function<OrderSnapshot, Reply> answer) {
    Integer ifMatch;
    OrderEdit edit;
    try {
      ifMatch = IfMatch.of(ctx);
      edit = OrderEdit.parse(JsonBody.of(ctx));
    } catch (ApiError e) {
      JsonErrors.send(ctx, e);
      return;
    }
    Function<Change, Future<Reply>> work = change -> {
      Access.staff(change.principal());
      return book.edit(change, orderId, tenantScope, ifMatch, edit).map(answer);
    };
    if (OrderBook.editsInOneStatement(edit)) {
      runner.changeInOneStatement(ctx, work);
    } else {
      runner.change(ctx, work);
    }
  }
}
