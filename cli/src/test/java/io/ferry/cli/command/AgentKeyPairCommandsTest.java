package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.AgentCredentials;
import io.ferry.agent.AgentKeyFile;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.agent.proxy.ProxySettings;
import io.ferry.agent.tls.TlsSettings;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.Protocol;
import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ferry agent enroll` makes a key pair on the host; `ferry agent rotate-key` replaces it without downtime. */
class AgentKeyPairCommandsTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private static PollRequest poll() {
    return new PollRequest(Protocol.VERSION, 1, 0, "test", "bapi", 0, null);
  }

  @Test
  void enrollKeepsThePrivateKeyOnTheHostAndRotateKeyReplacesIt() throws Exception {
    Path agentDir = dir.resolve("agent");
    try (Relay relay = Relay.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0))) {
      String tenant = relay.admin().createTenant("keys");
      String token = relay.admin().createEnrollmentToken(tenant, "default", Duration.ofHours(1));
      assertThat(run("agent", "enroll", "--relay", relay.baseUrl().toString(), "--token", token, "--data-dir",
          agentDir.toString())).as(err.toString()).isEqualTo(ExitCode.OK);

      Path keyFile = AgentKeyFile.file(agentDir);
      assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
      assertThat(Files.exists(agentDir.resolve(AgentKeyFile.FILE_NAME + ".new"))).isFalse();
      AgentCredentials credentials = AgentCredentials.load(agentDir);
      assertThat(credentials.agentKey()).isNull();
      assertThat(Files.readString(AgentCredentials.file(agentDir))).doesNotContain("fa_");

      // A client like a running agent's: it signs with whatever key file is in place.
      try (RelayClient running = new RelayClient(relay.baseUrl(),
          AgentKeyFile.signer(agentDir, credentials.agentId(), Clock.systemUTC()), Duration.ofSeconds(5),
          Duration.ofSeconds(10), TlsSettings.SYSTEM, ProxySettings.DIRECT)) {
        running.poll(poll());
        PrivateKey before = AgentKeyFile.load(keyFile);

        assertThat(run("agent", "rotate-key", "--data-dir", agentDir.toString())).as(err.toString())
            .isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("has a new key", "accepts the previous one until");
        assertThat(AgentKeyFile.load(keyFile)).isNotEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        running.poll(poll()); // the running client picked up the new key

        relay.admin().disableAgent(tenant, credentials.agentId());
        try {
          running.poll(poll());
          throw new AssertionError("a disabled agent was let in");
        } catch (RelayException e) {
          assertThat(e.kind()).isEqualTo(RelayException.Kind.UNAUTHORIZED);
        }
      }
      assertThat(run("agent", "rotate-key", "--data-dir", agentDir.toString())).isEqualTo(ExitCode.NOT_AUTHORIZED);
      assertThat(Files.exists(agentDir.resolve(AgentKeyFile.FILE_NAME + ".new"))).isFalse();
    }
  }
}
