package io.ferry.agent.salesorder;

import io.ferry.agent.handler.JobHandler;
import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.salesorder.SalesOrder;
import io.ferry.protocol.salesorder.SalesOrderRead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sales-order jobs (create, read) on the backend's {@link SalesOrderPort}, each call through the agent's layers
 * ({@link SapCalls}). A create is made exactly once: it first looks for the order SAP holds for the same sold-to
 * party and customer reference ({@code purchaseOrderByCustomer}, which the relay requires) and reports that one
 * instead of creating another; the resilience layer does the same when SAP's answer to the create itself is lost.
 */
public final class SalesOrderJobs implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(SalesOrderJobs.class);
  private static final Set<Action> ACTIONS = Set.of(Action.SALES_ORDER_CREATE, Action.SALES_ORDER_READ);
  private static final String SUBJECT = "the sales order";
  /** The note a create answers with when SAP held the order already (Ferry's own message, not SAP's). */
  static final String ALREADY_HELD_ID = "FERRY";
  static final String ALREADY_HELD_NUMBER = "116";

  private final String backendName;
  private final SalesOrderPort port;
  private final SapCalls sap;

  /** @param sap the layers every call passes (guard, retries, metering) */
  public SalesOrderJobs(SapBackend backend, SapCalls sap) {
    this.backendName = backend.name();
    this.port = backend.port(SalesOrderPort.class).orElse(null);
    this.sap = sap;
  }

  @Override
  public Set<Action> actions() {
    return ACTIONS;
  }

  @Override
  public JobResult run(JobEnvelope job, boolean again) throws SapException, JobRefused {
    if (port == null) {
      throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "the " + backendName
          + " backend does not work on sales orders", List.of());
    }
    return switch (job.action()) {
      case SALES_ORDER_CREATE -> create(job, order(job), again);
      case SALES_ORDER_READ -> {
        SalesOrderRead read = payload(job, SalesOrderRead.class);
        if (read.salesOrder() == null || read.salesOrder().isBlank()) {
          throw JobRefused.invalid("a sales-order read names the order (salesOrder)");
        }
        yield produced(job, sap.run(SapCall.repeatable("read", SUBJECT, () -> port.read(read.salesOrder()))
            .admitted(SalesOrderJobs::admit)));
      }
      default -> throw JobRefused.invalid("sales-order jobs do not include " + job.action().wireName());
    };
  }

  /**
   * Looks for the order first, every time: the customer reference identifies the order for Ferry, so a create SAP
   * already holds — an earlier attempt of this job, an administrator's retry of a job that ended unknown, a flow
   * that ran again without its Idempotency-Key — is answered with SAP's order, with a note among its messages,
   * instead of making a second one. A failed look-up of a job delivered again is OUTCOME_UNKNOWN (an earlier attempt
   * may have created the order); of a first delivery it is the failure it was, as nothing was created yet.
   */
  private JobResult create(JobEnvelope job, SalesOrder wanted, boolean again) throws SapException {
    String by = "sold-to party " + wanted.soldToParty() + " and customer reference " + wanted.purchaseOrderByCustomer();
    SapCall<Optional<SalesOrder>> lookUp = SapCall.repeatable("find", SUBJECT, () -> port.findByReference(
        wanted.soldToParty(), wanted.salesArea().salesOrganization(), wanted.purchaseOrderByCustomer()))
        .admitted(SalesOrderJobs::admitFound);
    Optional<SalesOrder> earlier;
    try {
      earlier = sap.run(lookUp);
    } catch (SapException e) {
      if (!again || (e.kind() != SapException.Kind.UNAVAILABLE && e.kind() != SapException.Kind.OUTCOME_UNKNOWN)) {
        throw e;
      }
      // An earlier attempt may have created the order: a failed look-up must not invite a blind retry.
      throw new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "the outcome of "
          + "creating the sales order is unknown: job " + job.jobId() + " was delivered again (attempt "
          + job.attempt() + ") after an earlier attempt that may have created it, and looking it up by " + by
          + " failed: " + e.getMessage() + "; check in SAP whether such an order exists before sending the request "
          + "again", e.sapMessages(), e);
    }
    if (earlier.isPresent()) {
      log.info("FERRY-AGENT-0116 job {} attempt {}: SAP already holds sales order {} for {}; reporting it instead of "
          + "creating another", job.jobId(), job.attempt(), earlier.get().salesOrder(), by);
      List<SapMessage> messages = new ArrayList<>(earlier.get().sapMessages());
      messages.add(new SapMessage("I", ALREADY_HELD_ID, ALREADY_HELD_NUMBER, "SAP already held sales order "
          + earlier.get().salesOrder() + " for " + by + "; it was not created again"));
      return produced(job, earlier.get().withSapMessages(messages));
    }
    return produced(job, sap.run(SapCall.create("create", SUBJECT, () -> port.create(wanted), lookUp, by)));
  }

  private static SalesOrder order(JobEnvelope job) throws JobRefused {
    SalesOrder order = payload(job, SalesOrder.class);
    if (order.salesArea() == null || order.soldToParty() == null || order.purchaseOrderByCustomer() == null
        || order.items().isEmpty()) {
      throw JobRefused.invalid("a sales-order create carries the order with its salesArea, soldToParty, "
          + "purchaseOrderByCustomer and items");
    }
    return order;
  }

  private static <T> T payload(JobEnvelope job, Class<T> type) throws JobRefused {
    if (job.payload() == null) {
      throw JobRefused.invalid("job " + job.jobId() + " of " + job.action().wireName() + " carries no payload");
    }
    try {
      return Protocol.json().treeToValue(job.payload(), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw JobRefused.invalid("the payload of job " + job.jobId() + " is not a " + type.getSimpleName() + ": "
          + e.getMessage());
    }
  }

  private static JobResult produced(JobEnvelope job, SalesOrder order) {
    return JobResult.produced(job, Protocol.json().valueToTree(order));
  }

  private static SalesOrder admit(SalesOrder order, SapCall.Allowed allowed) throws SapException {
    String org = order.salesArea() == null ? null : order.salesArea().salesOrganization();
    if (!allowed.salesOrganization(org)) {
      throw allowed.refusal("sales order " + order.salesOrder(), org);
    }
    return order;
  }

  private static Optional<SalesOrder> admitFound(Optional<SalesOrder> found, SapCall.Allowed allowed)
      throws SapException {
    if (found.isPresent()) {
      admit(found.get(), allowed);
    }
    return found;
  }

  @Override
  public String toString() {
    return "sales orders on " + backendName;
  }
}
