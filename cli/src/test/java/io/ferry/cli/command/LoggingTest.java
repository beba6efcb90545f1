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

  @Test
  void anUnknownFormatIsAUsageErrorNamingTheSettings() {
    assertThatThrownBy(() -> Logging.format("xml")).isInstanceOf(UserFacingException.class)
        .hasMessageContaining("text or json").hasMessageContaining("--log-format");
    Logging.format(null); // text, the default: nothing changes
    Logging.format("TEXT");
  }
}
