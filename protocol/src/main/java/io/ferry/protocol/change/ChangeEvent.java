package io.ferry.protocol.change;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ferry.protocol.Customer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One change an agent found in SAP: a customer created or changed there, by Ferry or by anyone else. Delivered at
 * least once; {@link #id()} is stable, so the relay and engines drop repeats.
 *
 * @param id the same for the same change however often it is found: {@link #idOf}
 * @param type {@code customer.created} or {@code customer.changed}
 * @param customerNumber SAP's number of the customer (with leading zeros)
 * @param externalId the customer's external id when it has one (the correlation field)
 * @param changedAt when SAP recorded the change (second precision: SAP's change documents and OData's
 *     {@code LastChangeTime} have no finer)
 * @param customer the customer as SAP held it when the agent found the change; absent when it could not be read
 *     (deleted meanwhile, or outside {@code policy.sales-organizations}: then the event is not sent at all)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangeEvent(String id, String type, String customerNumber, String externalId, Instant changedAt,
    Customer customer) {

  public static final String CUSTOMER_CREATED = "customer.created";
  public static final String CUSTOMER_CHANGED = "customer.changed";

  /**
   * The event's id: a hash of type, customer and change time, so that the same change found twice — in an overlap
   * window, after a restart, by a second agent of the tenant — has the same id, and two changes of one customer in
   * one second are one event (SAP records no finer time).
   */
  public static String idOf(String type, String customerNumber, Instant changedAt) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((type + "|" + customerNumber + "|"
          + changedAt.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
      return "chg_" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** A created or changed event with its id computed. */
  public static ChangeEvent of(String type, String customerNumber, String externalId, Instant changedAt,
      Customer customer) {
    return new ChangeEvent(idOf(type, customerNumber, changedAt), type, customerNumber, externalId, changedAt,
        customer);
  }
}
