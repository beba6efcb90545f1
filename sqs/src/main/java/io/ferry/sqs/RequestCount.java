package io.ferry.sqs;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the SQS requests a client made, by operation (SendMessage, SendMessageBatch, ReceiveMessage, …): each
 * request costs a round trip and is what SQS bills, so relay and agent log the counts when they stop, and the
 * benchmark's log shows the requests per job. A retried request counts once per attempt on the wire.
 */
public final class RequestCount implements ExecutionInterceptor {

  private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    byOperation.computeIfAbsent(operation == null ? "?" : operation, o -> new LongAdder()).increment();
  }

  /** Requests so far by operation, in name order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> counts = new TreeMap<>();
    byOperation.forEach((operation, n) -> counts.put(operation, n.sum()));
    return counts;
  }
}
