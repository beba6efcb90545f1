package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.testing.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Callback URLs aimed at the relay's own machine or network, as an attacker with an engine key sends them,
 * against a running relay over real HTTP: refused when the job is accepted, refused when the callback is
 * sent (a name that resolves to loopback), and never followed through a redirect.
 */
class CallbackReachTest {

  @TempDir
  Path dataDir;
  private HttpServer receiver;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final AtomicInteger redirectedTo = new AtomicInteger();
  private Logger callbackLog;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.createContext("/busy-once", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(503, -1); // the first attempt fails: the retry is due later
      exchange.close();
    });
    receiver.createContext("/redirect", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/elsewhere");
      exchange.sendResponseHeaders(307, -1);
      exchange.close();
    });
    receiver.createContext("/elsewhere", exchange -> {
      redirectedTo.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    callbackLog = (Logger) LoggerFactory.getLogger("io.ferry.relay.callback");
    log.start();
    callbackLog.addAppender(log);
  }

  @AfterEach
  void stop() {
    callbackLog.detachAppender(log);
    receiver.stop(0);
  }

  private int port() {
    return receiver.getAddress().getPort();
  }

  @Test
  void aCallbackToLoopbackOrASpecialPurposeAddressIs422NamingCallbackUrlByDefault() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      String[] refused = {
          "http://127.0.0.1:" + port() + "/hook", // the relay's own machine
          "http://localhost:" + port() + "/hook",
          "https://127.0.0.1:" + relay.base().getPort() + "/admin/v1/keys",
          "https://[::1]/hook",
          "https://[::ffff:127.0.0.1]/hook", // IPv4-mapped loopback
          "https://[64:ff9b::a9fe:a9fe]/latest/meta-data", // NAT64 of 169.254.169.254
          "https://[64:ff9b:1::a00:1]/hook", // local-use NAT64
          "https://[::a9fe:a9fe]/latest/meta-data", // IPv4-compatible 169.254.169.254
          "https://[::ffff:169.254.169.254]/latest/meta-data",
          "https://[2002:a9fe:a9fe::1]/latest/meta-data", // 6to4 of 169.254.169.254
          "https://[2002:7f00:1::1]/hook", // 6to4 of 127.0.0.1
          "https://192.0.0.170/hook", // IETF protocol assignments (NAT64 discovery)
          "https://198.18.0.1/hook", // benchmarking
          "https://[2001::1]/hook", // Teredo
          "https://255.255.255.255/hook"};
      for (String url : refused) {
        Reply r = tenant.engine().post("/v1/customers?callbackUrl=" + encode(url), Fixtures.CUSTOMER_JSON,
            "Prefer", "respond-async");
        assertThat(r.status()).as(url).isEqualTo(422);
        assertThat(r.problem().errors()).as(url).extracting(e -> e.field()).containsExactly("callbackUrl");
      }
      Reply loopback = tenant.engine().post("/v1/customers?callbackUrl=" + encode(refused[0]), Fixtures.CUSTOMER_JSON);
      assertThat(loopback.problem().errors().get(0).message()).contains("relay.callback-loopback");
    }
    assertThat(received).as("nothing reached the loopback receiver").isEmpty();
  }

  @Test
  void withTheLoopbackSettingOnACallbackToLoopbackIsDelivered() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.toBuilder().callbackLoopback(true).build())) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      Reply accepted = tenant.engine().post("/v1/customers?callbackUrl="
          + encode("http://127.0.0.1:" + port() + "/hook"), Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      assertThat(received.poll(10, TimeUnit.SECONDS)).as("callback delivered").contains(job.jobId());
    }
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefusedWhenTheCallbackIsSent() throws Exception {
    try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      AtomicInteger connections = new AtomicInteger();
      Thread accepting = Thread.ofVirtual().start(() -> {
        while (!target.isClosed()) {
          try (Socket s = target.accept()) {
            connections.incrementAndGet();
          } catch (java.io.IOException closed) {
            return;
          }
        }
      });
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      // A name is not resolved when the job is accepted (no DNS on a request thread): it passes here...
      String url = "https://hooks" + TestNames.LOOPBACK_SUFFIX + ":" + target.getLocalPort() + "/hook";
      Reply accepted = tenant.engine().post("/v1/customers?callbackUrl=" + encode(url), Fixtures.CUSTOMER_JSON,
          "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      // ...and is refused when the callback is sent, before any connection is made.
      String attempt = awaitAttempt(job.jobId());
      assertThat(attempt).contains("may not reach").contains("127.0.0.1").contains("relay.callback-loopback");
      assertThat(connections.get()).as("connections to the loopback target").isZero();
      target.close();
      accepting.join(Duration.ofSeconds(5));
    }
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.toBuilder().callbackLoopback(true).build())) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      Reply accepted = tenant.engine().post("/v1/customers?callbackUrl="
          + encode("http://127.0.0.1:" + port() + "/redirect"), Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      assertThat(awaitAttempt(job.jobId())).contains("HTTP 307");
      assertThat(redirectedTo.get()).as("requests to the redirect's target").isZero();
    }
  }

  @Test
  void aCallbackAcceptedWhileLoopbackWasAllowedIsNotSentAfterTheOperatorTurnsItOff() throws Exception {
    ManualClock clock = ManualClock.now();
    JobEnvelope job;
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.toBuilder().callbackLoopback(true).build(), clock)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      tenant.engine().post("/v1/customers?callbackUrl=" + encode("http://127.0.0.1:" + port() + "/busy-once"),
          Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      assertThat(received.poll(10, TimeUnit.SECONDS)).as("first attempt").isNotNull();
      awaitAttempt(job.jobId());
    }
    // The same data directory, loopback now off: the retry that falls due is refused, not sent.
    log.list.clear();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c, clock)) {
      clock.advance(Duration.ofMinutes(5));
      relay.relay.deliverDueCallbacks();
      String[] line = new String[1];
      Fixtures.await("the refused retry", Duration.ofSeconds(15), () -> {
        synchronized (log) {
          return log.list.stream().map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("callback for job " + job.jobId()) && m.contains("not sent"))
              .peek(m -> line[0] = m).findFirst().isPresent();
        }
      });
      assertThat(line[0]).contains("relay.callback-loopback");
      assertThat(received).as("no second attempt reached the receiver").isEmpty();
    }
  }

  /** The log line of the first failed delivery attempt of {@code jobId}. */
  private String awaitAttempt(String jobId) {
    String[] line = new String[1];
    Fixtures.await("a failed callback attempt for " + jobId, Duration.ofSeconds(15), () -> {
      java.util.List<ILoggingEvent> events;
      synchronized (log) { // the appender adds under this lock
        events = java.util.List.copyOf(log.list);
      }
      for (ILoggingEvent e : events) {
        String m = e.getFormattedMessage();
        if (m.contains("callback for job " + jobId) && m.contains("failed")) {
          line[0] = m;
          return true;
        }
      }
      return false;
    });
    return line[0];
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
