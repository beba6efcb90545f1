package io.ferry.relay.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console at {@code /console}: a fixed set of static files (HTML, CSS, JavaScript modules) read
 * from the relay's class path once at start. No build step and nothing from another origin, so it works
 * without internet. Every answer carries a strict Content-Security-Policy: scripts and styles from this
 * origin only (no inline script, no eval), requests to this origin only, no framing. The console signs in
 * with an admin key that it keeps in the tab's sessionStorage and sends as {@code X-API-Key}; the relay
 * sets no cookie.
 */
final class ConsoleFiles {

  static final String PATH = "/console";
  private static final String RESOURCES = "/io/ferry/relay/console/";
  /** The files and their media types; anything else under /console is a 404. */
  private static final Map<String, String> FILES = files();

  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> content;

  private ConsoleFiles(Map<String, byte[]> content) {
    this.content = content;
  }

  private static Map<String, String> files() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("index.html", "text/html; charset=utf-8");
    f.put("console.css", "text/css; charset=utf-8");
    f.put("app.js", "text/javascript; charset=utf-8");
    f.put("api.js", "text/javascript; charset=utf-8");
    f.put("dom.js", "text/javascript; charset=utf-8");
    f.put("pages.js", "text/javascript; charset=utf-8");
    f.put("favicon.svg", "image/svg+xml");
    return Map.copyOf(f);
  }

  /** Reads every file now: a relay built without them fails at start, not at the first visit. */
  static ConsoleFiles load() {
    Map<String, byte[]> content = new LinkedHashMap<>();
    for (String name : FILES.keySet()) {
      try (InputStream in = ConsoleFiles.class.getResourceAsStream(RESOURCES + name)) {
        if (in == null) {
          throw new IllegalStateException("the console file " + RESOURCES + name + " is missing from the class path");
        }
        content.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ConsoleFiles(Map.copyOf(content));
  }

  /**
   * {@code GET /console/} is the page; {@code GET /console} redirects there, so the page's relative links
   * resolve under it. (The router matches both paths to one route, as it ignores a trailing slash.)
   */
  void index(Context ctx) {
    if (!ctx.path().endsWith("/")) {
      secure(ctx);
      ctx.redirect(PATH + "/");
      return;
    }
    send(ctx, "index.html");
  }

  void file(Context ctx) {
    String name = ctx.pathParam("file");
    if (!FILES.containsKey(name)) {
      throw new ProblemException(ProblemType.NOT_FOUND, "the console has no file " + name);
    }
    send(ctx, name);
  }

  private void send(Context ctx, String name) {
    secure(ctx);
    // Revalidated at every visit: after an upgrade the browser takes the new files at once.
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(FILES.get(name));
    ctx.result(content.get(name));
  }

  private static void secure(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
  }
}
