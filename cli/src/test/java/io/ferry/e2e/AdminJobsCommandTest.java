package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.cli.command.ExitCode;
import io.ferry.cli.command.FerryCommand;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ferry admin jobs|batches|tenants` against a running relay with an agent on the simulated SAP: a job SAP
 * refused is listed, shown with SAP's message, retried as a new job; a job in another state is refused with
 * exit code 7 (conflict), an unknown one with 6 (not found).
 */
class AdminJobsCommandTest {

  @TempDir Path dir;
  private FerryStack stack;
  private Path config;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).start();
    config = Files.writeString(dir.resolve("admin.properties"),
        "admin.relay=" + stack.url() + "\nadmin.key=" + stack.adminKey() + "\n");
  }

  @AfterEach
  void stop() {
    stack.close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all);
  }

  /** Polls (no sleep-and-hope): true within 20 s, or the test fails naming what it waited for. */
  static void await(java.util.concurrent.Callable<Boolean> condition) {
    io.ferry.testing.Await.untilTrue("the job's state", java.time.Duration.ofSeconds(20), condition);
  }


  private JsonNode json() throws Exception {
    return Protocol.json().readTree(out.toString());
  }

  @Test
  void aJobSapRefusedIsListedShownWithSapsMessageAndRetried() throws Exception {
    Engine engine = new Engine(stack.url(), stack.apiKey());
    Engine.Answer refused = engine.post("/v1/customers",
        CustomerLifecycleTest.customer("A1", "DE", ",\"referenceCustomer\":\"9999\""));
    assertThat(refused.status()).isEqualTo(422);
    Engine.Answer created = engine.post("/v1/customers", CustomerLifecycleTest.customer("A2", "DE", ""));
    assertThat(created.status()).isEqualTo(201);

    assertThat(run("admin", "jobs", "list")).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ").contains("FAILED", "SUCCEEDED", "customer.create", "9999");

    assertThat(run("admin", "jobs", "list", "--state", "FAILED", "--output", "json")).isEqualTo(ExitCode.OK);
    JsonNode failed = json().path("value");
    assertThat(failed).hasSize(1);
    String id = failed.get(0).path("id").asText();

    assertThat(run("admin", "jobs", "show", id)).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("state:       FAILED", "httpStatus:  422", "SAP messages:", "9999");

    assertThat(run("admin", "jobs", "retry", id)).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("job " + id + " retried as job ");
    String retryId = out.toString().replaceAll("(?s).*retried as job (\\w{26}).*", "$1").strip();
    // The new job asks SAP again; SAP refuses again, as nothing changed there.
    await(() -> {
      run("admin", "jobs", "show", retryId, "--output", "json");
      return json().path("state").asText().equals("FAILED");
    });
    assertThat(json().path("retryOf").asText()).isEqualTo(id);
    assertThat(run("admin", "jobs", "show", id, "--output", "json")).isEqualTo(ExitCode.OK);
    assertThat(json().path("state").asText()).as("an end never changes").isEqualTo("FAILED");

    assertThat(run("admin", "jobs", "list", "--state", "SUCCEEDED", "--output", "json")).isEqualTo(ExitCode.OK);
    String succeededId = json().path("value").get(0).path("id").asText();
    assertThat(run("admin", "jobs", "retry", succeededId)).isEqualTo(ExitCode.CONFLICT);
    assertThat(err.toString()).contains("409", "FERRY-RELAY-0308", "SUCCEEDED");
    assertThat(run("admin", "jobs", "cancel", succeededId)).isEqualTo(ExitCode.CONFLICT);
    assertThat(run("admin", "jobs", "show", "01JC0000000000000000000000")).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(run("admin", "jobs", "show", "../keys")).isEqualTo(ExitCode.USAGE);
    assertThat(run("admin", "jobs", "list", "--state", "DONE")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("state must be one of");

    assertThat(run("admin", "audit", "--action", "admin.job.retry", "--output", "json")).isEqualTo(ExitCode.OK);
    assertThat(json().path("events")).extracting(e -> e.path("outcome").asText()).containsExactly("SUCCEEDED",
        "REFUSED");
  }

  @Test
  void batchesAreListedAndShownWithTheirFailedRecords() throws Exception {
    Engine engine = new Engine(stack.url(), stack.apiKey());
    String body = "[" + CustomerLifecycleTest.customer("B1", "DE", "") + ","
        + CustomerLifecycleTest.customer("B2", "DE", ",\"referenceCustomer\":\"9999\"") + "]";
    Engine.Answer accepted = engine.post("/v1/customer-batches?mode=insert&errorHandling=continue", body);
    assertThat(accepted.status()).isEqualTo(202);
    String location = accepted.raw().headers().firstValue("Location").orElseThrow();
    String batchId = location.substring(location.lastIndexOf('/') + 1);
    await(() -> {
      run("admin", "batches", "list", "--output", "json");
      return json().path("value").get(0).path("state").asText().equals("COMPLETED");
    });

    assertThat(run("admin", "batches", "list")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ").contains(batchId, "insert", "COMPLETED");
    assertThat(run("admin", "batches", "show", batchId)).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("failed records:", "CRM-B2", "9999");
    assertThat(run("admin", "batches", "show", "01JC0000000000000000000000")).isEqualTo(ExitCode.NOT_FOUND);

    assertThat(run("admin", "tenants", "list")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ").contains("e2e");
  }
}
