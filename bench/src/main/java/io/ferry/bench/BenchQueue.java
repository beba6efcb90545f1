package io.ferry.bench;

import io.ferry.agent.AgentConfig;
import io.ferry.relay.config.RelayConfig;
import io.ferry.sqs.SqsSettings;
import java.net.URI;
import java.nio.file.Path;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * The SQS of mode (d): ElasticMQ, an SQS-compatible server, embedded in the benchmark's JVM on a free loopback
 * port, started when the mode's run opens and stopped when it closes. The relay dispatches through its FIFO
 * queues ({@code relay.dispatch=sqs}), the agent receives from them ({@code agent.transport=sqs}), both with the
 * server's dummy credentials and a queue prefix of this run. What it measures is Ferry's SQS path over real
 * HTTP, not AWS's latency (a real queue adds tens of milliseconds per hop).
 */
final class BenchQueue implements Backing {

  private final SQSRestServer server;
  private final SqsSettings sqs;

  private BenchQueue(SQSRestServer server, SqsSettings sqs) {
    this.server = server;
    this.sqs = sqs;
  }

  static BenchQueue start(Path dir, Settings settings) {
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    SqsSettings sqs = SqsSettings.defaults("eu-central-1").withEndpoint(URI.create("http://127.0.0.1:" + port))
        .withQueuePrefix("bench" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36))
        .withCredentials("ferry-bench", "ferry-bench-secret");
    return new BenchQueue(server, sqs);
  }

  @Override
  public RelayConfig relay(RelayConfig config) {
    return config.withDispatch(RelayConfig.Dispatch.sqs(sqs));
  }

  @Override
  public AgentConfig agent(AgentConfig config) {
    return config.withTransport(AgentConfig.Transport.sqs(sqs));
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
