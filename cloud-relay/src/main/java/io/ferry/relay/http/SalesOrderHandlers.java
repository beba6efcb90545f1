package io.ferry.relay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.salesorder.SalesOrderRead;
import io.ferry.protocol.salesorder.SalesOrderRules;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.dispatch.JobRequest;
import io.javalin.http.Context;
import java.util.List;

/**
 * The engine API of sales orders: {@code POST /v1/sales-orders} and {@code GET /v1/sales-orders/{salesOrder}}.
 * Everything after the order's own rules (idempotency keys, the 202 rule, callbacks, agent groups, problems) is
 * the job machinery customers use too ({@link EngineHandlers#submit}).
 */
final class SalesOrderHandlers {

  static final String PATH = io.ferry.relay.objects.BusinessObject.SALES_ORDER.path();

  private final EngineHandlers engine;

  SalesOrderHandlers(EngineHandlers engine) {
    this.engine = engine;
  }

  /** {@code POST /v1/sales-orders}: the order's header and items, priced and numbered by SAP. */
  void create(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    if (!Bodies.contentTypeIs(ctx, Answer.JSON)) {
      throw EngineHandlers.unsupportedMediaType(ctx, Answer.JSON);
    }
    JsonNode body = engine.bodies.json(ctx);
    EngineHandlers.requireValid(SalesOrderRules.checkCreate(body));
    String callbackUrl = engine.callbackUrl(ctx, caller);
    engine.submit(ctx, caller, Action.SALES_ORDER_CREATE, JobRequest.payload(normalised((ObjectNode) body)).toJson(),
        body, callbackUrl, null);
  }

  /** {@code GET /v1/sales-orders/{salesOrder}}: the order with its items as SAP holds it. */
  void read(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String number = ctx.pathParam("salesOrder");
    if (!SalesOrderRules.isSalesOrderNumber(number)) {
      throw new ProblemException(ProblemType.INVALID_SALES_ORDER_NUMBER,
          "salesOrder must be 1 to 10 letters or digits, was '" + number + "'")
          .errors(List.of(new FieldError("salesOrder", "must be 1 to 10 letters or digits")));
    }
    ObjectNode payload = Protocol.json().valueToTree(new SalesOrderRead(number));
    engine.submit(ctx, caller, Action.SALES_ORDER_READ, JobRequest.payload(payload).toJson(), null, null, null);
  }

  /** The body as the agent gets it: text in NFC, as the rules measured it (the model's constructor does it). */
  private static ObjectNode normalised(ObjectNode body) {
    try {
      return Protocol.json().valueToTree(Protocol.json().treeToValue(body,
          io.ferry.protocol.salesorder.SalesOrder.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ProblemException(ProblemType.INVALID_FIELDS, "the body does not fit the sales-order model: "
          + e.getOriginalMessage());
    }
  }
}
