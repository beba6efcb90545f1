package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * The outcome of an ended job as a callback carries it: {@code id}, {@code action}, {@code status}
 * (SUCCEEDED, FAILED, EXPIRED, DEAD or CANCELLED), {@code httpStatus} (what {@code GET /v1/operations/{id}}
 * answers), and that answer's body as {@code customer} on success or {@code problem} otherwise; a
 * sales order's job carries {@code salesOrder} instead of {@code customer}; a successful upsert adds {@code effect} ({@code created} or {@code updated}, as its {@code Ferry-Upsert}
 * header says). Built from the same rendering as the operation URL, so the two never disagree. (A list
 * takes no callback; were it to end up here, its page would be under {@code page}.) A generic call's answer is under
 * {@code output} (text for an EDMX, absent for a 204), with its {@code location} and {@code etag} when it has them.
 */
public final class JobOutcomes {

  private static final ObjectMapper JSON = Protocol.json();
  private final JobAnswers answers;

  public JobOutcomes(Clock clock) {
    this.answers = new JobAnswers(clock);
  }

  /** The callback body of an ended job. */
  public byte[] callbackBody(Job job) {
    if (!job.state().isFinal()) {
      throw new IllegalArgumentException("job " + job.id() + " has not ended");
    }
    Answer answer = answers.answer(job, "", JobAnswers.OPERATIONS + job.id());
    ObjectNode out = JSON.createObjectNode();
    out.put("id", job.id());
    out.put("action", job.action().wireName());
    out.put("status", job.state().name());
    out.put("httpStatus", answer.status());
    String effect = answer.headers().get(JobAnswers.UPSERT_HEADER);
    if (effect != null) {
      out.put("effect", effect);
    }
    String success = job.action() == Action.CUSTOMER_SEARCH ? "page"
        : io.ferry.relay.objects.BusinessObject.of(job.action()).callbackMember();
    try {
      String member = answer.status() < 300 ? success : "problem";
      if (answer.body() == null || answer.body().length == 0) {
        // A 204 of an OData write: nothing to carry but the status.
      } else if (answer.contentType() != null && answer.contentType().contains("json")) {
        out.set(member, JSON.readTree(answer.body()));
      } else {
        // An OData $metadata read: the EDMX as text.
        out.put(member, new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      String location = answer.headers().get("Location");
      if (location != null && job.action().isGeneric()) {
        out.put("location", location);
      }
      String etag = answer.headers().get("ETag");
      if (etag != null && job.action().isGeneric()) {
        out.put("etag", etag);
      }
      return JSON.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job outcome always serialises", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The problem of an ended job that did not succeed, exactly as {@code GET /v1/operations/{id}} answers
   * it (its {@code instance} is that path): what a batch reports for the job's record.
   */
  public Problem problem(Job job) {
    if (!job.state().isFinal() || job.state() == JobState.SUCCEEDED) {
      throw new IllegalArgumentException("job " + job.id() + " has no problem: it is " + job.state());
    }
    Answer answer = answers.answer(job, "", JobAnswers.OPERATIONS + job.id());
    try {
      return JSON.readValue(answer.body(), Problem.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
