package io.ferry.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.relay.RelayClient;
import io.ferry.protocol.JobEnvelope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A relay that accepts the poll's connection and then never answers (nor closes): the read timeout is a
 * minute away, so only the watchdog gets the loop going again. The watchdog's timer is fired by hand.
 */
class PollWatchdogTest {

  private ServerSocket silentRelay;
  private final BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
  private final BlockingQueue<Runnable> timers = new LinkedBlockingQueue<>();
  private final BlockingQueue<Duration> delays = new LinkedBlockingQueue<>();
  private RelayClient relay;
  private PollLoop loop;
  private Thread loopThread;

  @BeforeEach
  void start() throws IOException {
    silentRelay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon(true).start(() -> {
      try {
        while (true) {
          connections.add(silentRelay.accept()); // read nothing, answer nothing, close nothing
        }
      } catch (IOException e) {
        // closed at the end of the test
      }
    });
    relay = new RelayClient(URI.create("http://127.0.0.1:" + silentRelay.getLocalPort()), "fa_test",
        Duration.ofSeconds(2), Duration.ofSeconds(60));
    PollWatchdog.Scheduler byHand = new PollWatchdog.Scheduler() {
      @Override
      public PollWatchdog.Armed schedule(Runnable task, Duration delay) {
        boolean[] disarmed = {false};
        delays.add(delay);
        timers.add(() -> {
          if (!disarmed[0]) {
            task.run();
          }
        });
        return () -> disarmed[0] = true;
      }

      @Override
      public void close() {}
    };
    loop = new PollLoop(relay, new OneWorker(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), () -> 0.5),
        "test", Clock.systemUTC(), new PollWatchdog(Duration.ofSeconds(4), byHand));
    loopThread = Thread.ofPlatform().name("poll-under-test").start(loop);
  }

  @AfterEach
  void stop() throws Exception {
    loop.stop();
    loopThread.join(Duration.ofSeconds(5));
    relay.close();
    silentRelay.close();
    for (Socket s : connections) {
      s.close();
    }
  }

  @Test
  void aPollThatNeverEndsIsAbandonedWhenTheWatchdogFiresAndANewOneGoesOutOnAFreshConnection() throws Exception {
    Socket first = connections.poll(10, TimeUnit.SECONDS);
    assertThat(first).as("the first poll's connection").isNotNull();
    assertThat(delays.poll(10, TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(4));
    Runnable timer = timers.poll(10, TimeUnit.SECONDS);

    timer.run();

    Socket second = connections.poll(10, TimeUnit.SECONDS);
    assertThat(second).as("a new poll on a fresh connection").isNotNull().isNotSameAs(first);
    assertThat(loop.abandonedPolls()).isEqualTo(1);
    assertThat(loopThread.isAlive()).isTrue();
  }

  @Test
  void aTimerThatFiresAfterItsPollEndedAbandonsNothing() throws Exception {
    assertThat(connections.poll(10, TimeUnit.SECONDS)).isNotNull();
    Runnable first = timers.poll(10, TimeUnit.SECONDS);
    first.run(); // abandons the first poll
    assertThat(connections.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(timers.poll(10, TimeUnit.SECONDS)).isNotNull(); // the second poll's timer is armed

    first.run(); // the first timer again: its poll is over, it was disarmed

    assertThat(loop.abandonedPolls()).isEqualTo(1);
  }

  /** One free worker, always. */
  private static final class OneWorker implements JobSink {
    @Override
    public int awaitCapacity() {
      return 1;
    }

    @Override
    public int inFlight() {
      return 0;
    }

    @Override
    public void accept(JobEnvelope job) {}
  }
}
