package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {

  @Test
  void aJsonLineCarriesLevelLoggerMessageAndTheTraceFields() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("io.ferry.relay.dispatch.Dispatcher");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "job {} queued",
        null, new Object[] {"01JOB"});
    event.setMDCPropertyMap(Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7",
        "job_id", "01JOB"));

    String line = new String(Logging.jsonEncoder(context).encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n").doesNotContain("\n{");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("loggerName").asText()).isEqualTo("io.ferry.relay.dispatch.Dispatcher");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("job 01JOB queued");
    assertThat(json.path("mdc").path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.path("mdc").path("job_id").asText()).isEqualTo("01JOB");
    assertThat(json.has("arguments")).as("arguments are left out; the formatted message says it").isFalse();
  }

  /**
   * The relay's access line in both formats: the text pattern of the shipped logback.xml shows the request id
   * after the trace id; the JSON line has it in {@code mdc} and the line's values as key-value pairs.
   */
  @Test
  void anAccessLineCarriesTheRequestIdInTextAndJson() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("io.ferry.relay.access");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "{} {} {} {} ms tenant={}{}",
        null, new Object[] {"GET", "/v1/customers/{customerNumber}", 401, 3, "-", " code=FERRY-RELAY-0202"});
    event.setMDCPropertyMap(Map.of("request_id", "req-42", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
        "span_id", "00f067aa0ba902b7"));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("route", "/v1/customers/{customerNumber}"));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("code", "FERRY-RELAY-0202"));

    String xml;
    try (var in = Logging.class.getResourceAsStream("/logback.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    java.util.regex.Matcher pattern = java.util.regex.Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
    assertThat(pattern.find()).as("the shipped logback.xml has a pattern").isTrue();
    ch.qos.logback.classic.PatternLayout layout = new ch.qos.logback.classic.PatternLayout();
    layout.setContext(context);
    layout.setPattern(pattern.group(1));
    layout.start();
    assertThat(layout.doLayout(event)).contains(" io.ferry.relay.access trace=4bf92f3577b34da6a3ce929d0e0e4736 req=req-42 - "
        + "GET /v1/customers/{customerNumber} 401 3 ms tenant=- code=FERRY-RELAY-0202");

    JsonNode json = new ObjectMapper().readTree(new String(Logging.jsonEncoder(context).encode(event), StandardCharsets.UTF_8));
    assertThat(json.path("mdc").path("request_id").asText()).isEqualTo("req-42");
    assertThat(json.path("kvpList").toString()).contains("{\"route\":\"/v1/customers/{customerNumber}\"}")
        .contains("{\"code\":\"FERRY-RELAY-0202\"}");
  }

  @Test
  void anUnknownFormatIsAUsageErrorNamingTheSettings() {
    assertThatThrownBy(() -> Logging.format("xml")).isInstanceOf(UserFacingException.class)
        .hasMessageContaining("text or json").hasMessageContaining("--log-format");
    Logging.format(null); // text, the default: nothing changes
    Logging.format("TEXT");
  }
}
