package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Customer;
import io.ferry.protocol.Protocol;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Strong ETags of customers: a hash of the customer's JSON without {@code sapMessages}, which
 * describe the call, not the data. The same data gives the same tag whichever call returned it.
 */
final class ETags {

  private static final ObjectMapper JSON = Protocol.json();

  private ETags() {}

  static String of(Customer customer) {
    try {
      byte[] json = JSON.writeValueAsBytes(customer.withSapMessages(List.of()));
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("could not hash a customer", e);
    }
  }
}
