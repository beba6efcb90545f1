package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.Agent;
import io.ferry.agent.AgentCredentials;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.QueuedMessage;
import io.ferry.sqs.SqsClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Tenant isolation in SQS mode: the relay takes a result only from an enrolled agent, through that agent's own
 * results queue. A result forged by another tenant's agent, or sent through another tenant's queue, is dropped;
 * the job keeps waiting for its own agent.
 */
class SqsIsolationTest {

  private static final ObjectMapper JSON = Protocol.json();

  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aResultFromAnotherTenantsAgentOrThroughAnotherTenantsQueueIsDropped() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withDispatch(FerryStack.Dispatch.SQS).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    String agentA = AgentCredentials.load(dir.resolve("agent")).agentId();
    stack.stopAgent();
    String location = engine.post("/v1/customers", CustomerLifecycleTest.customer("60", "DE", ""), "Prefer",
        "respond-async").header("Location");
    String jobId = location.substring(location.lastIndexOf('/') + 1);

    String tenantB = stack.admin().createTenant("other");
    String tokenB = stack.admin().createEnrollmentToken(tenantB, "default", Duration.ofHours(1));
    String agentB = Agent.enroll(stack.url(), tokenB, dir.resolve("agent-b"), "b-agent").agentId();

    JobResult forged = new JobResult(Protocol.VERSION, jobId, 1, JobResult.Outcome.FAILED, null,
        new JobError(JobError.Kind.SAP_BUSINESS_ERROR, "FORGED", "forged by another tenant", List.of()), null, null);
    try (SqsClient sqs = SqsClients.open(stack.sqs())) {
      String resultsA = sqs.getQueueUrl(b -> b.queueName(stack.sqs().queues(stack.tenant(), "default").results()))
          .queueUrl();
      String resultsB = sqs.getQueueUrl(b -> b.queueName(stack.sqs().queues(tenantB, "default").results())).queueUrl();
      // Tenant B's agent through tenant A's queue, and tenant A's agent id through tenant B's queue.
      sqs.sendMessage(b -> b.queueUrl(resultsA).messageBody(json(QueuedMessage.result(agentB, forged))));
      sqs.sendMessage(b -> b.queueUrl(resultsB).messageBody(json(QueuedMessage.result(agentA, forged))));
      awaitEmpty(sqs, resultsA);
      awaitEmpty(sqs, resultsB);
    }

    assertThat(engine.awaitOperation(location, Duration.ZERO).status()).as("the job still waits for its agent")
        .isEqualTo(202);
    stack.startAgent();
    assertThat(engine.awaitOperation(location, Duration.ofSeconds(30)).status()).isEqualTo(201);
  }

  /** Until the relays received and deleted every message of the queue. */
  private static void awaitEmpty(SqsClient sqs, String url) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      if ("0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
          && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling a condition with a timeout
    }
    throw new AssertionError("the relay did not take the messages of " + url + " within 30 s");
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
