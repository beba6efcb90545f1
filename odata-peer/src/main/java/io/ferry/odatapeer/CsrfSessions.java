package io.ferry.odatapeer;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SAP Gateway's CSRF protection: a {@code GET} with {@code X-CSRF-Token: Fetch} opens a session (a
 * cookie) and answers its token; a modifying request must send both the cookie and that token.
 * Invalidating the tokens keeps the sessions, as an expired token on a live session does in SAP.
 */
final class CsrfSessions {

  /** What a fetch answers: the token, and the session cookie to set when the session is new. */
  record Fetched(String token, String newSession) {}

  private final SecureRandom random = new SecureRandom();
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final String cookieName;

  CsrfSessions(String cookieName) {
    this.cookieName = cookieName;
  }

  String cookieName() {
    return cookieName;
  }

  Fetched fetch(String session) {
    fetches.incrementAndGet();
    boolean known = session != null && sessions.contains(session);
    String id = known ? session : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(24));
    sessions.add(id);
    String token = tokens.computeIfAbsent(id, k -> Base64.getEncoder().encodeToString(bytes(16)));
    return new Fetched(token, known ? null : id);
  }

  boolean valid(String session, String token) {
    return session != null && token != null && token.equals(tokens.get(session));
  }

  void invalidateTokens() {
    tokens.clear();
  }

  /** Forgets every session and its token: old cookies are unknown, and a fetch opens a new session. */
  void expireSessions() {
    sessions.clear();
    tokens.clear();
  }

  /** Forgets every session and token, and the fetch count. */
  void reset() {
    sessions.clear();
    tokens.clear();
    fetches.set(0);
  }

  int fetches() {
    return fetches.get();
  }

  /** The session id the request's {@code Cookie} header carries, if any. */
  String session(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (String part : cookieHeader.split(";")) {
      String p = part.strip();
      if (p.startsWith(cookieName + "=")) {
        return p.substring(cookieName.length() + 1);
      }
    }
    return null;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
