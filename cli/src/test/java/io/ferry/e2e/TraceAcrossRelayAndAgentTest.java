package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.protocol.TraceParent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One customer creation followed by its trace id: the engine's {@code traceparent} reaches the relay's log
 * lines, the job, the agent's log lines and SAP Gateway's requests, each hop with a span of its own, and
 * the engine hears the relay's span back in {@code traceresponse}.
 */
class TraceAcrossRelayAndAgentTest {

  private static final String ENGINE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String ENGINE_SPAN = "00f067aa0ba902b7";

  @TempDir Path dir;

  @Test
  void oneCreationCarriesTheEnginesTraceIdThroughRelayAgentAndSap() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (FerryStack stack = new FerryStack(dir, FerryStack.Sap.ODATA).start()) {
      Engine engine = new Engine(stack.url(), stack.apiKey());
      Engine.Answer created = engine.post("/v1/customers", CustomerLifecycleTest.customer("T1", "DE", ""),
          "traceparent", "00-" + ENGINE_TRACE + "-" + ENGINE_SPAN + "-01");
      assertThat(created.status()).isEqualTo(201);

      TraceParent relaySpan = TraceParent.parse(created.header("traceresponse")).orElseThrow();
      assertThat(relaySpan.traceId()).isEqualTo(ENGINE_TRACE);
      assertThat(relaySpan.spanId()).isNotEqualTo(ENGINE_SPAN);

      // The result's log line on the relay comes with the agent's delivery; wait for it, then read.
      await(() -> traced(captured).stream().anyMatch(e -> e.getLoggerName().endsWith("Dispatcher")
          && e.getFormattedMessage().contains("SUCCEEDED")), Duration.ofSeconds(10));
      List<ILoggingEvent> lines = traced(captured);
      String jobId = lines.stream().map(e -> e.getMDCPropertyMap().get("job_id")).filter(id -> id != null)
          .findFirst().orElseThrow();

      List<ILoggingEvent> relayLines = lines.stream().filter(e -> e.getLoggerName().startsWith("io.ferry.relay"))
          .toList();
      List<ILoggingEvent> agentLines = lines.stream().filter(e -> e.getLoggerName().startsWith("io.ferry.agent"))
          .toList();
      assertThat(relayLines).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("job " + jobId + " queued"))
          .anyMatch(m -> m.contains("job " + jobId + " leased") || m.contains("job " + jobId + " queued and leased"))
          .anyMatch(m -> m.contains("job " + jobId + " SUCCEEDED"));
      assertThat(agentLines).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("FERRY-AGENT-0112 job " + jobId));
      // Lines about the job carry its id; the access lines are about requests and carry their request ids.
      assertThat(lines).filteredOn(e -> !e.getLoggerName().equals("io.ferry.relay.access"))
          .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("job_id", jobId));
      assertThat(lines).filteredOn(e -> e.getLoggerName().equals("io.ferry.relay.access")).isNotEmpty()
          .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey("request_id"));
      // Each side logs under a span of its own: the relay's request span, the agent's job span.
      String agentSpan = agentLines.get(0).getMDCPropertyMap().get("span_id");
      assertThat(agentSpan).isNotIn(ENGINE_SPAN, relaySpan.spanId());
      assertThat(relayLines).anySatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("span_id",
          relaySpan.spanId()));

      // SAP Gateway took part in the same trace, each request a child span of its own.
      List<TraceParent> toSap = stack.sapTraceparents().stream().map(t -> TraceParent.parse(t).orElseThrow()).toList();
      assertThat(toSap).isNotEmpty().allSatisfy(t -> assertThat(t.traceId()).isEqualTo(ENGINE_TRACE));
      Set<String> sapSpans = toSap.stream().map(TraceParent::spanId).collect(Collectors.toSet());
      assertThat(sapSpans).hasSize(toSap.size()).doesNotContain(ENGINE_SPAN, relaySpan.spanId(), agentSpan);
    } finally {
      root.detachAppender(captured);
    }
  }

  @Test
  void aCreationWithoutTraceparentGetsATraceTheEngineIsTold() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (FerryStack stack = new FerryStack(dir, FerryStack.Sap.BAPI).start()) {
      Engine.Answer created = new Engine(stack.url(), stack.apiKey()).post("/v1/customers",
          CustomerLifecycleTest.customer("T2", "DE", ""));
      assertThat(created.status()).isEqualTo(201);
      String trace = TraceParent.parse(created.header("traceresponse")).orElseThrow().traceId();
      await(() -> snapshot(captured).stream().anyMatch(e -> trace.equals(e.getMDCPropertyMap().get("trace_id"))
          && e.getLoggerName().startsWith("io.ferry.agent")), Duration.ofSeconds(10));
    } finally {
      root.detachAppender(captured);
    }
  }

  /** Polls {@code condition} (every 20 ms) until it holds; fails after {@code timeout}. */
  private static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
    io.ferry.testing.Await.until("the traced log lines", timeout, condition);
  }


  private static List<ILoggingEvent> traced(ListAppender<ILoggingEvent> appender) {
    return snapshot(appender).stream().filter(e -> ENGINE_TRACE.equals(e.getMDCPropertyMap().get("trace_id")))
        .toList();
  }

  /** Logback appends under the appender's lock; copying under it sees a consistent list. */
  private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }
}
