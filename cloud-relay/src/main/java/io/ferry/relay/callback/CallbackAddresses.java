package io.ferry.relay.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import okhttp3.Dns;

/**
 * Where a callback may connect. A callback URL is chosen by whoever holds an API key, so without a rule
 * it could make the relay post into the network it runs in (a metadata service at 169.254.169.254, an
 * admin page on 10.0.0.1). The rule: public addresses only; loopback only when the URL itself names
 * loopback (development); private networks only when the operator allows them.
 *
 * <p>The check sits in the resolver the HTTP client connects through, so the address checked is the
 * address connected to: a name that resolves to a public address when the job is accepted and to a
 * private one when the callback is sent (DNS rebinding) is refused as well.
 */
final class CallbackAddresses implements Dns {

  private final Dns resolver;
  private final boolean privateNetworks;

  CallbackAddresses(Dns resolver, boolean privateNetworks) {
    this.resolver = resolver;
    this.privateNetworks = privateNetworks;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    List<InetAddress> all = resolver.lookup(host);
    List<InetAddress> allowed = all.stream().filter(a -> allowed(host, a)).toList();
    if (allowed.isEmpty()) {
      throw new UnknownHostException(host + " resolves only to addresses callbacks may not reach " + all
          + ": " + rule());
    }
    return allowed;
  }

  /** Why a callback to the literal address {@code host} is refused; null when it is allowed or not a literal. */
  String refusalOfLiteral(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!h.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return null; // a name: the resolver decides when the callback is sent
    }
    try {
      InetAddress address = InetAddress.getByName(h); // a literal: no DNS lookup happens
      return allowed(h, address) ? null : h + " is not an address callbacks may reach: " + rule();
    } catch (UnknownHostException e) {
      return h + " is not a valid address";
    }
  }

  private boolean allowed(String host, InetAddress a) {
    if (a.isLoopbackAddress()) {
      return namesLoopback(host) || privateNetworks;
    }
    if (isPublic(a)) {
      return true;
    }
    return privateNetworks && !a.isAnyLocalAddress() && !a.isMulticastAddress();
  }

  private String rule() {
    return privateNetworks
        ? "no wildcard or multicast addresses"
        : "public addresses only (set relay.callback-private-networks=true when the engine runs in a private network)";
  }

  /** {@code localhost}, or a literal loopback address; a name such as {@code 127.example.com} is not. */
  private static boolean namesLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || h.equals("[::1]")
        || (h.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}"));
  }

  /** Not loopback, private (RFC 1918, RFC 4193), link-local, carrier-grade NAT, wildcard or multicast. */
  static boolean isPublic(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      boolean carrierNat = first == 100 && second >= 64 && second <= 127; // 100.64.0.0/10
      boolean thisNetwork = first == 0;
      boolean reserved = first >= 240;
      return !carrierNat && !thisNetwork && !reserved;
    }
    if (a instanceof Inet6Address six) {
      boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7
      boolean mappedV4 = b[0] == 0 && b[1] == 0 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      if (mappedV4) {
        try {
          return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return false;
        }
      }
      return !uniqueLocal && six.getScopeId() == 0;
    }
    return false;
  }
}
