package io.ferry.relay.callback;

import io.ferry.relay.callback.AddressKinds.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;

/**
 * Where a callback may connect. A callback URL is chosen by whoever holds an API key, so without a rule
 * it could make the relay post into the network it runs in (a metadata service at 169.254.169.254, an
 * admin page on 10.0.0.1, the relay's own port on 127.0.0.1). The rule ({@link AddressKinds}): public
 * addresses only; private networks only when the operator allows them (relay.callback-private-networks);
 * this machine only when the operator allows it (relay.callback-loopback, for development and tests);
 * special-purpose, link-local, multicast and NAT64 addresses never, nor IPv4-mapped or 6to4 forms of them.
 *
 * <p>The check sits in the resolver the HTTP client connects through, so the address checked is the
 * address connected to: every address a name resolves to is checked when the callback is sent, and only
 * those allowed are handed to the connection. A name that resolved to a public address when the job was
 * accepted and to a private one when the callback is sent (DNS rebinding) is refused as well.
 */
final class CallbackAddresses implements Dns {

  private final Dns resolver;
  private final boolean privateNetworks;
  private final boolean loopback;

  CallbackAddresses(Dns resolver, boolean privateNetworks, boolean loopback) {
    this.resolver = resolver;
    this.privateNetworks = privateNetworks;
    this.loopback = loopback;
  }

  boolean privateNetworks() {
    return privateNetworks;
  }

  boolean loopback() {
    return loopback;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    List<InetAddress> all = resolver.lookup(host);
    List<InetAddress> allowed = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (InetAddress a : all) {
      String why = refusal(a);
      if (why == null) {
        allowed.add(a);
      } else {
        refused.add(a.getHostAddress() + " is " + why);
      }
    }
    if (allowed.isEmpty()) {
      throw new UnknownHostException(host + " resolves only to addresses callbacks may not reach (" + String.join("; ", refused)
          + "): " + rule());
    }
    return List.copyOf(allowed);
  }

  /** Why a callback to the literal address {@code host} is refused; null when it is allowed or not a literal. */
  String refusalOfLiteral(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!isLiteral(h)) {
      return null; // a name: the resolver decides when the callback is sent
    }
    try {
      InetAddress address = InetAddress.getByName(h); // a literal: no DNS lookup happens
      String why = refusal(address);
      return why == null ? null : h + ", which is " + why + ": " + rule();
    } catch (UnknownHostException e) {
      return h + ", which is not a valid address";
    }
  }

  /** Digits and dots (IPv4) or hex digits with a colon (IPv6); anything else is a name. */
  static boolean isLiteral(String host) {
    return host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  }

  /** Null when a callback may connect to {@code a}, else what the address is. */
  private String refusal(InetAddress a) {
    Verdict v = AddressKinds.of(a);
    boolean allowed = switch (v.kind()) {
      case PUBLIC -> true;
      case LOOPBACK -> loopback;
      case PRIVATE -> privateNetworks;
      case REFUSED -> false;
    };
    return allowed ? null : v.range();
  }

  private String rule() {
    List<String> also = new ArrayList<>();
    if (!privateNetworks) {
      also.add("private networks need relay.callback-private-networks=true");
    }
    if (!loopback) {
      also.add("this machine needs relay.callback-loopback=true");
    }
    return "callbacks go to public addresses" + (also.isEmpty() ? ", private networks and this machine" : "; "
        + String.join(", ", also)) + "; special-purpose, link-local and NAT64 addresses are never allowed";
  }
}
