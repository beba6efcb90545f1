package io.ferry.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workflow engines as Power Automate behaves: each create carries an Idempotency-Key; a connection
 * error, a 5xx, a 429 or a "still in progress" 409 is retried with the same key; a 202 is followed by
 * polling its operation. Many threads share the work, spread over the cluster's relays.
 */
final class ChaosEngine {

  enum Outcome { UNFINISHED, SUCCEEDED, FAILED }

  /**
   * One create request and what the engine learnt of it: every other one a sales order for the simulator's reference
   * customer, its customer reference the request's id (as a customer's external id is), the rest customers.
   */
  static final class Request {
    final int index;
    final String key;
    final String externalId;
    final boolean order;
    volatile boolean accepted;
    volatile Outcome outcome = Outcome.UNFINISHED;
    volatile String customerNumber;
    volatile int finalStatus;
    volatile String operation;
    final AtomicInteger sends = new AtomicInteger();

    Request(int index, String run) {
      this.index = index;
      this.key = "chaos-" + run + "-" + index;
      this.externalId = String.format("CHX-%s-%05d", run, index);
      this.order = index % 2 == 1;
    }

    String path() {
      return order ? "/v1/sales-orders" : "/v1/customers";
    }

    /** Where the answer names what SAP made: the order's number, or the customer's. */
    String numberField() {
      return order ? "salesOrder" : "customerNumber";
    }

    String body() {
      if (order) {
        return "{\"salesOrderType\":\"OR\",\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\","
            + "\"division\":\"00\"},\"soldToParty\":\"1000\",\"purchaseOrderByCustomer\":\"" + externalId + "\","
            + "\"items\":[{\"material\":\"FERRY-100\",\"requestedQuantity\":" + (index % 5 + 1) + ",\"unit\":\"PC\"}]}";
      }
      return "{\"externalId\":\"" + externalId + "\",\"name\":\"Chaos " + index + " GmbH\",\"street\":\"Hauptstrasse\","
          + "\"houseNumber\":\"" + (index % 200 + 1) + "\",\"postalCode\":\"69190\",\"city\":\"Walldorf\",\"country\":\"DE\","
          + "\"language\":\"de\",\"currency\":\"EUR\","
          + "\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\",\"division\":\"00\"},\"companyCode\":\"1000\"}";
    }
  }

  /** What a re-POST of a finished request answered at the end of the run. */
  enum Confirmation { SAME, DIFFERENT, FORGOTTEN, NO_ANSWER }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<URI> urls;
  private final String apiKey;
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();

  ChaosEngine(List<URI> urls, String apiKey) {
    this.urls = urls;
    this.apiKey = apiKey;
  }

  int finished() {
    return finished.get();
  }

  /** HTTP exchanges the engines attempted: first sends, retries, operation polls and confirmations. */
  int calls() {
    return calls.get();
  }

  /** Sends {@code r} until it reaches a terminal answer or {@code deadlineNanos} passes. */
  void submit(Request r, long deadlineNanos) throws InterruptedException {
    try {
      while (System.nanoTime() < deadlineNanos) {
        if (r.operation != null) {
          Answer a = send(r, HttpRequest.newBuilder(atNextRelay(r, URI.create(r.operation))).GET());
          if (a == null || a.status == 202 || a.status >= 500) {
            pause(a == null ? 300 : 250);
            continue;
          }
          if (a.status == 201 || a.status == 200) {
            succeeded(r, a);
            return;
          }
          // A final failure: ask with the key, which answers it as a replay.
          r.operation = null;
        }
        Answer a = post(r);
        if (a == null) {
          pause(300);
          continue;
        }
        if (a.status == 201) {
          r.accepted = true;
          succeeded(r, a);
          return;
        }
        if (a.status == 202) {
          r.accepted = true;
          r.operation = a.location;
          continue;
        }
        if (a.replayed) {
          r.accepted = true;
          r.finalStatus = a.status;
          r.outcome = Outcome.FAILED;
          return;
        }
        if (a.status == 409) {
          r.accepted = true; // the first request with this key is queued or running
          pause(1000);
          continue;
        }
        if (a.status == 429 || a.status >= 500) {
          pause(500);
          continue;
        }
        r.finalStatus = a.status;
        r.outcome = Outcome.FAILED;
        return;
      }
    } finally {
      finished.incrementAndGet();
    }
  }

  /**
   * Sends the request once more with its key at the end of the run: an accepted request must be
   * answered as a replay of the outcome the engine saw (or, for one it never saw end, of some outcome).
   */
  Confirmation confirm(Request r, long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      Answer a = post(r);
      if (a == null || a.status == 409 || (!a.replayed && (a.status == 429 || a.status == 503))) {
        pause(500);
        continue;
      }
      if (!a.replayed) {
        return Confirmation.FORGOTTEN;
      }
      if (r.outcome == Outcome.UNFINISHED) {
        if (a.status == 201) {
          succeeded(r, a);
        } else {
          r.finalStatus = a.status;
          r.outcome = Outcome.FAILED;
        }
        return Confirmation.SAME;
      }
      boolean same = r.outcome == Outcome.SUCCEEDED
          ? a.status == 201 && r.customerNumber.equals(a.body.path(r.numberField()).asText())
          : a.status == r.finalStatus;
      return same ? Confirmation.SAME : Confirmation.DIFFERENT;
    }
    return Confirmation.NO_ANSWER;
  }

  private static void succeeded(Request r, Answer a) {
    r.finalStatus = a.status;
    r.customerNumber = a.body.path(r.numberField()).asText();
    r.outcome = Outcome.SUCCEEDED;
  }

  /**
   * The operation's path at the next relay in turn: behind a load balancer any relay answers for any
   * operation, so a relay that is down (or the one that gave the 202) is no place to wait.
   */
  private URI atNextRelay(Request r, URI operation) {
    URI base = urls.get(r.sends.get() % urls.size());
    String query = operation.getRawQuery();
    return base.resolve(operation.getRawPath() + (query == null ? "" : "?" + query));
  }

  private Answer post(Request r) throws InterruptedException {
    URI base = urls.get(r.sends.get() % urls.size());
    return send(r, HttpRequest.newBuilder(base.resolve(r.path()))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", r.key)
        .POST(HttpRequest.BodyPublishers.ofString(r.body())));
  }

  private record Answer(int status, boolean replayed, String location, JsonNode body) {}

  /** One exchange; null when the relay could not be reached or the connection broke. */
  private Answer send(Request r, HttpRequest.Builder b) throws InterruptedException {
    r.sends.incrementAndGet();
    calls.incrementAndGet();
    try {
      HttpResponse<String> resp = http.send(b.header("X-API-Key", apiKey).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      String text = resp.body();
      JsonNode body = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
      return new Answer(resp.statusCode(), resp.headers().firstValue("Idempotent-Replayed").isPresent(),
          resp.headers().firstValue("Location").orElse(null), body);
    } catch (IOException e) {
      return null;
    }
  }

  /** The engine's own retry interval, with jitter (not a wait for an event). */
  private static void pause(int millis) throws InterruptedException {
    Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextInt(millis));
  }
}
