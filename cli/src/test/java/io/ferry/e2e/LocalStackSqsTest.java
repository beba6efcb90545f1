package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.sqs.SqsSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * SQS dispatch against LocalStack's SQS, a second SQS-compatible implementation beside the embedded ElasticMQ
 * (closer to AWS in its FIFO and redrive behaviour). Runs where Docker is available; reported as skipped
 * elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSqsTest {

  @Container
  static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
      .withServices(LocalStackContainer.Service.SQS);

  @TempDir Path dir;

  @Test
  void aCustomerIsCreatedUpdatedAndReadThroughLocalStackQueues() throws Exception {
    SqsSettings settings = SqsSettings.defaults(LOCALSTACK.getRegion()).withEndpoint(LOCALSTACK.getEndpoint())
        .withCredentials(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()).withQueuePrefix("ls");
    try (FerryStack stack = new FerryStack(dir, FerryStack.Sap.BAPI).withSqs(settings).start()) {
      Engine engine = new Engine(stack.url(), stack.apiKey());

      Engine.Answer created = engine.post("/v1/customers", CustomerLifecycleTest.customer("50", "DE", ""),
          "Idempotency-Key", "CRM-50");
      assertThat(created.status()).isEqualTo(201);
      String number = created.body().get("customerNumber").asText();

      assertThat(engine.patch("/v1/customers/" + number, "{\"city\":\"Berlin\"}").status()).isEqualTo(200);
      assertThat(engine.get("/v1/customers/" + number).body().get("city").asText()).isEqualTo("Berlin");
      Engine.Answer again = engine.post("/v1/customers", CustomerLifecycleTest.customer("50", "DE", ""),
          "Idempotency-Key", "CRM-50");
      assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }
  }
}
