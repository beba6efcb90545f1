package io.ferry.agent.relay;

import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizes requests inside a session the agent opens with one signed request and renews before it
 * ends: an HMAC per request instead of an ECDSA signature, for the agent and for the relay. Whenever no
 * session can be had — a relay from before sessions, a relay that cannot be reached just now — the
 * request is signed as before, so sessions only ever save work and never stop the agent.
 */
final class SessionAuthorization implements Authorization {

  /** Opens a session with the given signed {@code Authorization} header. */
  @FunctionalInterface
  interface Opener {
    AgentSession open(String signedHeader) throws RelayException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(SessionAuthorization.class);
  /** Renewed this long before it ends, so a request never leaves with a session about to end. */
  static final Duration RENEW_BEFORE_END = Duration.ofSeconds(60);
  private static final int MAX_UNUSABLE_ANSWERS = 3;

  private final Authorization signer;
  private final Opener opener;
  private final Clock clock;
  private volatile Current current;
  private volatile boolean relayHasNoSessions;
  private int unusableAnswers;

  private record Current(String session, byte[] secret, Instant renewAt) {}

  SessionAuthorization(Authorization signer, Opener opener, Clock clock) {
    this.signer = signer;
    this.opener = opener;
    this.clock = clock;
  }

  @Override
  public String header(String method, String path) {
    Current session = usable();
    if (session == null) {
      return signer.header(method, path);
    }
    return AgentSessionToken.header(session.session(), session.secret(), method, path, clock.instant());
  }

  /** Forgets the session when {@code header} was made in it: the relay refused it, the next request opens another. */
  boolean refused(String header) {
    Current session = current;
    if (session != null && AgentSessionToken.isScheme(header)
        && AgentSessionToken.parse(header).map(t -> t.session().equals(session.session())).orElse(false)) {
      current = null;
      return true;
    }
    return false;
  }

  private Current usable() {
    Current session = current;
    if (session != null && clock.instant().isBefore(session.renewAt())) {
      return session;
    }
    if (relayHasNoSessions) {
      return null;
    }
    synchronized (this) {
      session = current;
      if (session != null && clock.instant().isBefore(session.renewAt())) {
        return session;
      }
      return open();
    }
  }

  private Current open() {
    try {
      Instant asked = clock.instant();
      AgentSession granted = opener.open(signer.header("POST", Protocol.SESSION_PATH));
      Duration lifetime = Duration.ofSeconds(granted.expiresInSeconds());
      Instant renewAt = asked.plus(lifetime.compareTo(RENEW_BEFORE_END.multipliedBy(2)) > 0
          ? lifetime.minus(RENEW_BEFORE_END) : lifetime.dividedBy(2));
      current = new Current(granted.session(), signer.unseal(granted), renewAt);
      unusableAnswers = 0;
      return current;
    } catch (RelayException e) {
      if (e.kind() == RelayException.Kind.REJECTED || e.kind() == RelayException.Kind.PROTOCOL) {
        relayHasNoSessions = true;
        LOG.info("the relay opens no sessions ({}); each request is signed with the agent's key instead",
            e.getMessage());
      }
      return null;
    } catch (RuntimeException e) {
      // A key rotated between the request and its answer, say: sign this request, try again with the next;
      // but a relay whose answers never open is not asked forever.
      relayHasNoSessions = ++unusableAnswers >= MAX_UNUSABLE_ANSWERS;
      LOG.warn("the relay's session answer cannot be used ({}); {}", e.getMessage(), relayHasNoSessions
          ? "from now on each request is signed with the agent's key" : "this request is signed with the agent's key");
      return null;
    }
  }
}
