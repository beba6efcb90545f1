package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the README's demo command exactly as a new user would — the launcher script on the packaged
 * jar — and pastes every curl command it prints into a shell. Runs after {@code package}
 * (failsafe), because it needs the built distribution.
 */
class DemoIT {

  @TempDir Path dataDir;

  /** The same curl commands, with the agent on either SAP backend (the README documents {@code --sap odata}). */
  @ParameterizedTest(name = "--sap {0}")
  @ValueSource(strings = {"bapi", "odata"})
  void everyCurlCommandTheDemoPrintsSucceeds(String sap) throws Exception {
    Path launcher = Path.of("..", "install", "bin", "ferry").toAbsolutePath().normalize();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process demo = new ProcessBuilder(launcher.toString(), "demo", "--sap", sap, "--port", Integer.toString(port),
        "--data-dir", dataDir.toString())
        .redirectErrorStream(true)
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    try {
      List<String> printed = new ArrayList<>();
      for (String l; (l = lines.poll(60, TimeUnit.SECONDS)) != null; ) {
        printed.add(l);
        if (l.startsWith("Press Ctrl-C")) {
          break;
        }
      }
      assertThat(printed).as("demo output").anyMatch(l -> l.startsWith("Press Ctrl-C"));
      assertThat(printed).anyMatch(l -> l.equals("FERRY_URL=http://127.0.0.1:" + port));
      assertThat(printed).anyMatch(l -> l.matches("FERRY_API_KEY=\\S+"));
      String adminKey = printed.stream().filter(l -> l.startsWith("FERRY_ADMIN_KEY=")).findFirst()
          .map(l -> l.substring("FERRY_ADMIN_KEY=".length()).split(" ")[0]).orElseThrow();
      var agents = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + port + "/admin/v1/agents")).header("X-API-Key", adminKey).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(agents.statusCode()).as("the demo's admin key, for the console").isEqualTo(200);
      assertThat(agents.body()).contains("\"online\":true");
      List<String> curls = printed.stream().filter(l -> l.startsWith("curl ")).toList();
      // Four on the curated objects, then the generic calls the demo's agent allows: three function calls over
      // RFC, two OData requests over OData.
      assertThat(curls).hasSize(sap.equals("odata") ? 8 : 9);
      assertThat(curls.get(3)).contains("/v1/sales-orders");

      List<String> statuses = new ArrayList<>();
      List<String> answers = new ArrayList<>();
      for (String curl : curls) {
        Process p = new ProcessBuilder("bash", "-c", curl).redirectErrorStream(true).start();
        String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(curl + "\n" + answer).isZero();
        String status = answer.lines().findFirst().orElse("");
        statuses.add(status);
        answers.add(answer);
        assertThat(status).as(answer).matches("HTTP/1\\.1 20[01].*");
      }
      assertThat(statuses.get(0)).startsWith("HTTP/1.1 201");
      assertThat(statuses.get(3)).as("the sales order").startsWith("HTTP/1.1 201");
      String feed = answers.get(curls.size() - 2);
      assertThat(curls.get(curls.size() - 2)).contains("/v1/customer-changes");
      assertThat(feed).as("the change feed").contains("\"value\"");
      assertThat(statuses.get(curls.size() - 1)).as("a webhook subscription to loopback, allowed in the demo")
          .startsWith("HTTP/1.1 201");
      if (sap.equals("odata")) {
        assertThat(answers.get(4)).as("partners read through /v1/odata").contains("\"results\"", "BusinessPartner");
        assertThat(statuses.get(5)).as("the deep insert").startsWith("HTTP/1.1 201");
        assertThat(answers.get(5)).contains("Ferry Demo Partner").as("SAP's host and service path stay with the agent").doesNotContain("/sap/opu/odata");
      } else {
        assertThat(answers.get(4)).as("the functions the agent allows")
            .contains("BAPI_COMPANYCODE_GETLIST", "BAPI_CUSTOMER_GETDETAIL2", "RFC_READ_TABLE");
        assertThat(answers.get(5)).as("the company codes").contains("\"COMP_CODE\":\"1000\"");
        assertThat(answers.get(6)).as("KNA1 read by RFC_READ_TABLE: the customer the first line created")
            .contains("|Muster GmbH");
      }
    } finally {
      // SIGTERM, as a service stop would (Ctrl-C is SIGINT, handled the same way). Not destroy(): that
      // also closes the pipes, and the demo's goodbye would be lost.
      new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor();
      boolean exited = demo.waitFor(30, TimeUnit.SECONDS);
      if (!exited) {
        demo.destroyForcibly();
      }
      assertThat(exited).as("demo stops on SIGTERM").isTrue();
    }
    reader.join(10_000); // the rest of the output, up to the end of the stream
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    assertThat(rest).contains("Stopped.");
    assertThat(Files.exists(dataDir.resolve("relay"))).isTrue();
    // Issue 15: both simulated systems keep their customers in --data-dir.
    assertThat(dataDir.resolve(sap.equals("odata") ? "odata-peer.dat" : "sap-simulator.json")).exists();
  }

  /**
   * Issue 15: a second demo on the same directory minted a new tenant key each time, and its "read it back"
   * line named 0000100001 although the create answered another number. Now the keys are the first run's, and
   * the printed commands, pasted on both runs, answer 201 then 200 for the same customer.
   */
  @org.junit.jupiter.api.Test
  void aSecondDemoOnTheSameDirectoryReusesItsKeysAndItsCommandsStayTrue() throws Exception {
    List<String> first = demoRun();
    List<String> second = demoRun();
    assertThat(line(second, "FERRY_API_KEY=")).isEqualTo(line(first, "FERRY_API_KEY="));
    assertThat(line(second, "FERRY_ADMIN_KEY=")).isEqualTo(line(first, "FERRY_ADMIN_KEY="));
    assertThat(first.stream().filter(l -> l.startsWith("curl ")).toList())
        .isEqualTo(second.stream().filter(l -> l.startsWith("curl ")).toList());
  }

  private static String line(List<String> printed, String prefix) {
    return printed.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  /** One demo on {@link #dataDir}: pastes its curl commands, checks their statuses, stops it; returns what it printed. */
  private List<String> demoRun() throws Exception {
    Path launcher = Path.of("..", "install", "bin", "ferry").toAbsolutePath().normalize();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    boolean again = Files.exists(dataDir.resolve("demo-keys.properties"));
    Process demo = new ProcessBuilder(launcher.toString(), "demo", "--port", Integer.toString(port),
        "--data-dir", dataDir.toString()).redirectErrorStream(true).start();
    List<String> printed = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        printed.add(l);
        if (l.startsWith("Press Ctrl-C")) {
          break;
        }
      }
      assertThat(printed).as("demo output").anyMatch(l -> l.startsWith("Press Ctrl-C"));
      List<String> curls = printed.stream().filter(l -> l.startsWith("curl ")).map(l -> l.replace(":" + port + "/", ":PORT/"))
          .toList();
      List<String> statuses = new ArrayList<>();
      for (String curl : curls) {
        Process p = new ProcessBuilder("bash", "-c", curl.replace(":PORT/", ":" + port + "/")).redirectErrorStream(true).start();
        String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        statuses.add(answer.lines().findFirst().orElse(""));
      }
      assertThat(statuses.get(0)).startsWith(again ? "HTTP/1.1 200" : "HTTP/1.1 201");
      assertThat(statuses.subList(1, 3)).allMatch(st -> st.startsWith("HTTP/1.1 200"));
      // The order's Idempotency-Key: the second run (and a second paste) answers the first run's order.
      assertThat(statuses.get(3)).startsWith("HTTP/1.1 201");
      printed.replaceAll(l -> l.replace(":" + port, ":PORT"));
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor();
      if (!demo.waitFor(30, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
    return printed;
  }
}
