package io.ferry.agent.relay;

import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizes requests inside a session the agent opens with one signed request and renews before it
 * ends: an HMAC per request instead of an ECDSA signature, for the agent and for the relay.
 *
 * <p>Sessions are opened and renewed in the background; until one is there — at start, after the relay
 * refused one, with a relay from before sessions or one out of reach just then — each request is signed
 * as before. So a session only ever saves work: it never delays a request or stops the agent.
 */
final class SessionAuthorization implements Authorization {

  /** Opens a session with the given signed {@code Authorization} header. */
  @FunctionalInterface
  interface Opener {
    AgentSession open(String signedHeader) throws RelayException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(SessionAuthorization.class);
  /** Renewal starts this long before the end; the old session serves until a little before it. */
  static final Duration RENEW_BEFORE_END = Duration.ofSeconds(60);
  private static final Duration STOP_USING_BEFORE_END = Duration.ofSeconds(10);
  /** After a failed open, requests are signed for this long before the next try. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
  private static final int MAX_UNUSABLE_ANSWERS = 3;

  private final Authorization signer;
  private final Opener opener;
  private final Clock clock;
  private final Executor background;
  private final AtomicBoolean opening = new AtomicBoolean();
  private volatile Current current;
  /**
   * The session before {@link #current}: a poll made in it may be answered after the renewal, and a session
   * the relay refused may still have signed jobs already on their way. Its secret is kept until it ends.
   */
  private volatile Current previous;
  private volatile Instant nextTry = Instant.MIN;
  private volatile boolean relayHasNoSessions;
  private int unusableAnswers;

  private record Current(String session, byte[] secret, Instant renewAt, Instant usableUntil, Instant endsAt) {}

  SessionAuthorization(Authorization signer, Opener opener, Clock clock) {
    this(signer, opener, clock, task -> Thread.ofPlatform().daemon().name("ferry-agent-session").start(task));
  }

  /** @param background where sessions are opened; tests pass a direct executor */
  SessionAuthorization(Authorization signer, Opener opener, Clock clock, Executor background) {
    this.signer = signer;
    this.opener = opener;
    this.clock = clock;
    this.background = background;
  }

  @Override
  public String header(String method, String path) {
    Instant now = clock.instant();
    Current session = current;
    if ((session == null || !now.isBefore(session.renewAt())) && !relayHasNoSessions && !now.isBefore(nextTry)) {
      openInBackground();
      session = current;
    }
    if (session != null && now.isBefore(session.usableUntil())) {
      return AgentSessionToken.header(session.session(), session.secret(), method, path, now);
    }
    return signer.header(method, path);
  }

  /** The name of the session requests are made in now, or null while there is none to use. */
  String currentSession() {
    Current session = current;
    return session != null && clock.instant().isBefore(session.usableUntil()) ? session.session() : null;
  }

  /** Forgets the session when {@code header} was made in it: the relay refused it, a new one is opened. */
  boolean refused(String header) {
    Current session = current;
    if (session != null && AgentSessionToken.isScheme(header)
        && AgentSessionToken.parse(header).map(t -> t.session().equals(session.session())).orElse(false)) {
      previous = session;
      current = null;
      return true;
    }
    return false;
  }

  /**
   * The secret of {@code session} if it is this agent's current or previous session and has not ended: the
   * relay signs the jobs it hands to a poll made in a session with that session's secret.
   */
  byte[] secretOf(String session) {
    Instant now = clock.instant();
    for (Current c : new Current[] {current, previous}) {
      if (c != null && c.session().equals(session) && now.isBefore(c.endsAt())) {
        return c.secret();
      }
    }
    return null;
  }

  private void openInBackground() {
    if (opening.compareAndSet(false, true)) {
      try {
        background.execute(() -> {
          try {
            open();
          } finally {
            opening.set(false);
          }
        });
      } catch (RuntimeException e) {
        opening.set(false);
      }
    }
  }

  private void open() {
    Instant asked = clock.instant();
    try {
      AgentSession granted = opener.open(signer.header("POST", Protocol.SESSION_PATH));
      Duration lifetime = Duration.ofSeconds(granted.expiresInSeconds());
      Duration renewAfter = lifetime.compareTo(RENEW_BEFORE_END.multipliedBy(2)) > 0
          ? lifetime.minus(RENEW_BEFORE_END) : lifetime.dividedBy(2);
      Current opened = new Current(granted.session(), signer.unseal(granted), asked.plus(renewAfter),
          asked.plus(lifetime).minus(STOP_USING_BEFORE_END), asked.plus(lifetime));
      Current before = current;
      if (before != null) {
        previous = before;
      }
      current = opened;
      unusableAnswers = 0;
    } catch (RelayException e) {
      nextTry = asked.plus(RETRY_AFTER_FAILURE);
      if (e.kind() == RelayException.Kind.REJECTED || e.kind() == RelayException.Kind.PROTOCOL) {
        relayHasNoSessions = true;
        LOG.info("the relay opens no sessions ({}); each request is signed with the agent's key instead",
            e.getMessage());
      } else {
        LOG.debug("could not open a session with the relay ({}); requests are signed meanwhile", e.getMessage());
      }
    } catch (RuntimeException e) {
      // A key rotated between the request and its answer, say: try again later; but a relay whose
      // answers never open is not asked forever.
      nextTry = asked.plus(RETRY_AFTER_FAILURE);
      relayHasNoSessions = ++unusableAnswers >= MAX_UNUSABLE_ANSWERS;
      LOG.warn("the relay's session answer cannot be used ({}); {}", e.getMessage(), relayHasNoSessions
          ? "from now on each request is signed with the agent's key" : "requests are signed meanwhile");
    }
  }
}
