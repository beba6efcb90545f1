package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.function.FunctionAnswer;
import io.ferry.protocol.odata.ODataAnswer;
import io.ferry.relay.config.RelayConfig;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generic writes take callbacks like every write: the answer under {@code output}, a failure under {@code problem}. */
class GenericCallbackTest {

  private static final java.util.function.UnaryOperator<RelayConfig> LOOPBACK =
      c -> c.toBuilder().callbackLoopback(true).build();

  @TempDir
  Path dataDir;
  private HttpServer receiver;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void aFunctionCallAndAnODataWriteCallBackWithTheirAnswers() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      agent.pollReporting(1, null, 0);
      String hook = URLEncoder.encode("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
          StandardCharsets.UTF_8);

      Reply call = tenant.engine().post("/v1/functions/RFC_READ_TABLE?callbackUrl=" + hook, "{}",
          "Prefer", "respond-async");
      assertThat(call.status()).isEqualTo(202);
      agent.produce(agent.takeReporting(null),
          new FunctionAnswer(Protocol.json().createObjectNode().put("X", "1"), null, null, null));
      JsonNode called = Protocol.json().readTree(received.poll(10, TimeUnit.SECONDS));
      assertThat(called.get("action").asText()).isEqualTo("function.call");
      assertThat(called.get("httpStatus").asInt()).isEqualTo(200);
      assertThat(called.get("output").get("exporting").get("X").asText()).isEqualTo("1");

      Reply create = tenant.engine().post("/v1/odata/API_BUSINESS_PARTNER/A_BusinessPartner?callbackUrl=" + hook,
          "{\"OrganizationBPName1\":\"Ferry\"}", "Prefer", "respond-async");
      assertThat(create.status()).isEqualTo(202);
      JobEnvelope job = agent.takeReporting(null);
      ObjectNode made = Protocol.json().createObjectNode().put("BusinessPartner", "1000123");
      agent.produce(job, new ODataAnswer(201, made, null, null, "W/\"1\"", "A_BusinessPartner('1000123')", null));
      JsonNode created = Protocol.json().readTree(received.poll(10, TimeUnit.SECONDS));
      assertThat(created.get("httpStatus").asInt()).isEqualTo(201);
      assertThat(created.get("output").get("BusinessPartner").asText()).isEqualTo("1000123");
      assertThat(created.get("location").asText()).endsWith("/v1/odata/API_BUSINESS_PARTNER/A_BusinessPartner('1000123')");
      assertThat(created.get("etag").asText()).isEqualTo("W/\"1\"");

      Reply delete = tenant.engine().delete("/v1/odata/API_BUSINESS_PARTNER/A_BusinessPartner('1')?callbackUrl=" + hook,
          "Prefer", "respond-async");
      assertThat(delete.status()).isEqualTo(202);
      agent.fail(agent.takeReporting(null), new JobError(JobError.Kind.OUTCOME_UNKNOWN, null, null, List.of()));
      JsonNode failed = Protocol.json().readTree(received.poll(10, TimeUnit.SECONDS));
      assertThat(failed.get("httpStatus").asInt()).isEqualTo(502);
      assertThat(failed.get("problem").get("type").asText()).endsWith("/outcome-unknown");
    }
  }
}
