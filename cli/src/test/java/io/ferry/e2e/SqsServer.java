package io.ferry.e2e;

import io.ferry.sqs.SqsSettings;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * A real SQS-compatible server for the SQS-mode tests: ElasticMQ, embedded, on a free loopback port, started
 * once for the test JVM (it takes a second or two) and stopped when the JVM ends. Each stack gets its own
 * queue prefix, so stacks never see each other's queues.
 */
public final class SqsServer {

  private static final AtomicInteger STACKS = new AtomicInteger();
  private static SQSRestServer server;
  private static URI endpoint;

  private SqsServer() {}

  /** The embedded server's endpoint, started at the first call; it lives as long as this JVM. */
  public static synchronized URI endpoint() {
    if (server == null) {
      server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
      int port = server.waitUntilStarted().localAddress().getPort();
      endpoint = URI.create("http://127.0.0.1:" + port);
      // No stop of our own: ElasticMQ's actor system stops itself when the JVM ends (a second stop in another
      // shutdown hook waits for it for ever).
    }
    return endpoint;
  }

  /** FIFO queues with a prefix of their own on the embedded server, with its dummy credentials. */
  static SqsSettings settings() {
    return SqsSettings.defaults("eu-central-1").withEndpoint(endpoint())
        .withQueuePrefix("e2e" + ProcessHandle.current().pid() % 10_000 + "x" + STACKS.incrementAndGet())
        .withCredentials("ferry-test", "ferry-test-secret");
  }
}
