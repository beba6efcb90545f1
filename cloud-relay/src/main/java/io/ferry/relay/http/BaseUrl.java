package io.ferry.relay.http;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The absolute base URL engines reach this relay at, for {@code Location} headers that Power Automate
 * and others follow: relay.public-url when set, else the request's {@code Host} with the scheme from
 * {@code X-Forwarded-Proto} (a TLS-terminating proxy) or the connection.
 */
final class BaseUrl {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

  private BaseUrl() {}

  static String of(URI publicUrl, Context ctx) {
    if (publicUrl != null) {
      String s = publicUrl.toString();
      return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
    String scheme = scheme(ctx);
    String host = ctx.header("Host");
    if (host == null || !HOST.matcher(host.trim()).matches()) {
      host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
    }
    return scheme + "://" + host.trim();
  }

  private static String scheme(Context ctx) {
    String forwarded = ctx.header("X-Forwarded-Proto");
    if (forwarded != null) {
      String first = forwarded.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (first.equals("https") || first.equals("http")) {
        return first;
      }
    }
    return ctx.scheme();
  }
}
