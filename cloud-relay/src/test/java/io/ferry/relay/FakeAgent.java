package io.ferry.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.EnrollRequest;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.LeaseRenewal;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;

/** Plays the on-premises agent over real HTTP with the protocol records. The real one lives in agent/. */
final class FakeAgent {

  private static final ObjectMapper JSON = Protocol.json();

  private final URI base;
  final EnrollResponse identity;
  /** Null for an agent with a bearer key; else the key it signs its tokens with (rotations change it). */
  volatile java.security.KeyPair keys;
  /** The clock tokens are issued by (a test's clock when the relay runs on it). */
  volatile java.time.Clock clock = java.time.Clock.systemUTC();

  private FakeAgent(URI base, EnrollResponse identity) {
    this.base = base;
    this.identity = identity;
  }

  /** Enrolls with a fresh key pair, as the real agent does: no bearer key, every request a signed token. */
  static FakeAgent enrollWithKeyPair(URI base, String token) {
    java.security.KeyPair keys = io.ferry.protocol.AgentToken.newKeyPair();
    Reply reply = Http.send(new Request.Builder().url(base + Protocol.ENROLL_PATH)
        .post(Http.json(json(new EnrollRequest(Protocol.VERSION, token, "fake-agent", "test-host", "0.1.0",
            io.ferry.protocol.AgentToken.encodePublicKey(keys.getPublic())))))
        .build());
    if (reply.status() != 200) {
      throw new AssertionError("enrollment failed: " + reply);
    }
    FakeAgent agent = new FakeAgent(base, reply.as(EnrollResponse.class));
    agent.keys = keys;
    return agent;
  }

  /** The Authorization header for one request: a fresh signed token, or the bearer key. */
  String authorization(String method, String path) {
    java.security.KeyPair k = keys;
    return k == null ? "Bearer " + identity.agentKey()
        : io.ferry.protocol.AgentToken.sign(k.getPrivate(), identity.agentId(), method, path, clock.instant());
  }

  /** A POST with exactly this Authorization header (attacks: replays, stale or foreign tokens). */
  Reply postWith(String authorization, String path, Object body) {
    return Http.send(new Request.Builder().url(base + path).header("Authorization", authorization)
        .post(Http.json(json(body))).build());
  }

  static Reply enrollRaw(URI base, String token) {
    return Http.send(new Request.Builder().url(base + Protocol.ENROLL_PATH)
        .post(Http.json(json(new EnrollRequest(Protocol.VERSION, token, "fake-agent", "test-host", "0.1.0"))))
        .build());
  }

  static FakeAgent enroll(URI base, String token) {
    Reply reply = enrollRaw(base, token);
    if (reply.status() != 200) {
      throw new AssertionError("enrollment failed: " + reply);
    }
    return new FakeAgent(base, reply.as(EnrollResponse.class));
  }

  /** The same agent (same key) talking to a relay at another address, as after a relay restart. */
  FakeAgent at(URI otherBase) {
    FakeAgent moved = new FakeAgent(otherBase, identity);
    moved.keys = keys;
    return moved;
  }

  Reply pollRaw(int maxJobs) {
    return pollRaw(maxJobs, null);
  }

  Reply pollRaw(int maxJobs, String runId) {
    return post(Protocol.POLL_PATH, new PollRequest(Protocol.VERSION, maxJobs, 0, "0.1.0", "bapi", null, runId));
  }

  /** {@code DELETE /agent/v1/poll?run=…}: what a stopping agent sends. */
  Reply stopPolling(String runId) {
    return Http.send(new Request.Builder().url(base + Protocol.POLL_PATH + "?run=" + runId)
        .header("Authorization", authorization("DELETE", Protocol.POLL_PATH))
        .delete()
        .build());
  }

  /** A poll the relay answers at once, held not at all: what is queued right now. */
  PollResponse pollNow(int maxJobs) {
    Reply reply = post(Protocol.POLL_PATH, new PollRequest(Protocol.VERSION, maxJobs, 0, "0.1.0", "bapi", 0, null));
    if (reply.status() != 200) {
      throw new AssertionError("poll failed: " + reply);
    }
    return reply.as(PollResponse.class);
  }

  /** A poll answered at once that names the actions this agent reads, as agents since sales orders do. */
  PollResponse pollNowNaming(int maxJobs, java.util.List<String> actions) {
    Reply reply = post(Protocol.POLL_PATH, new PollRequest(Protocol.VERSION, maxJobs, 0, "0.2.0", "bapi", 0, null,
        actions));
    if (reply.status() != 200) {
      throw new AssertionError("poll failed: " + reply);
    }
    return reply.as(PollResponse.class);
  }

  /**
   * A poll held by the relay that names every action and reports {@code catalog} as its catalog fingerprint (null:
   * none), as agents with generic calls do.
   */
  PollResponse pollReporting(int maxJobs, String catalog, Integer holdSeconds) {
    Reply reply = post(Protocol.POLL_PATH, new PollRequest(Protocol.VERSION, maxJobs, 0, "0.3.0", "bapi", holdSeconds,
        null, PollRequest.knownActions(), catalog));
    if (reply.status() != 200) {
      throw new AssertionError("poll failed: " + reply);
    }
    return reply.as(PollResponse.class);
  }

  /** Polls (naming every action, reporting {@code catalog}) until it gets a job. */
  JobEnvelope takeReporting(String catalog) {
    for (int i = 0; i < 10; i++) {
      PollResponse response = pollReporting(1, catalog, null);
      if (!response.jobs().isEmpty()) {
        return response.jobs().get(0);
      }
    }
    throw new AssertionError("no job arrived in 10 polls");
  }

  /** A SUCCEEDED result of a job that carries a payload: {@code output} as SAP's answer. */
  Reply produce(JobEnvelope job, Object output) {
    return result(JobResult.produced(job, JSON.valueToTree(output)));
  }

  CompletableFuture<PollResponse> pollAsync(int maxJobs, String runId) {
    return Http.async(() -> pollRaw(maxJobs, runId).as(PollResponse.class));
  }

  PollResponse poll(int maxJobs) {
    Reply reply = pollRaw(maxJobs);
    if (reply.status() != 200) {
      throw new AssertionError("poll failed: " + reply);
    }
    return reply.as(PollResponse.class);
  }

  CompletableFuture<PollResponse> pollAsync(int maxJobs) {
    return Http.async(() -> poll(maxJobs));
  }

  /** Polls until it gets a job (each poll is held by the relay, so this does not spin). */
  JobEnvelope takeOne() {
    for (int i = 0; i < 10; i++) {
      PollResponse response = poll(1);
      if (!response.jobs().isEmpty()) {
        return response.jobs().get(0);
      }
    }
    throw new AssertionError("no job arrived in 10 polls");
  }

  Reply succeed(JobEnvelope job, Customer customer) {
    return result(JobResult.succeeded(job, customer));
  }

  Reply upserted(JobEnvelope job, Customer customer, JobResult.Effect effect) {
    return result(JobResult.upserted(job, customer, effect));
  }

  Reply found(JobEnvelope job, CustomerPage page) {
    return result(JobResult.found(job, page));
  }

  Reply fail(JobEnvelope job, JobError error) {
    return result(JobResult.failed(job, error));
  }

  Reply result(JobResult result) {
    return post(Protocol.resultPath(result.jobId()), result);
  }

  Reply renew(String jobId, int attempt) {
    return post(Protocol.leasePath(jobId), new LeaseRenewal(Protocol.VERSION, jobId, attempt, null));
  }

  /** A renewal that reports the jobs the agent runs, as the agent's lease keeper does. */
  Reply renew(String jobId, int attempt, int inFlight) {
    return post(Protocol.leasePath(jobId), new LeaseRenewal(Protocol.VERSION, jobId, attempt, null, inFlight));
  }

  private Reply post(String path, Object body) {
    return Http.send(new Request.Builder().url(base + path)
        .header("Authorization", authorization("POST", path))
        .post(Http.json(json(body)))
        .build());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
