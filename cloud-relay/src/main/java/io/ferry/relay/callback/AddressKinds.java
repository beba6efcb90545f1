package io.ferry.relay.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * What kind of address a callback would connect to, after IANA's IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and its updates). Addresses that embed an IPv4 address (IPv4-mapped, 6to4) are
 * judged by the address they embed, so {@code ::ffff:127.0.0.1} is loopback and {@code 2002:a9fe:a9fe::}
 * is the link-local metadata address; NAT64 prefixes are refused whole, because the relay cannot know
 * which IPv4 network its NAT64 gateway translates into.
 */
final class AddressKinds {

  enum Kind {
    /** Globally reachable: callbacks may go there. */
    PUBLIC,
    /** This machine: only with relay.callback-loopback. */
    LOOPBACK,
    /** A private network (RFC 1918, shared address space, unique local): only with relay.callback-private-networks. */
    PRIVATE,
    /** Never: special-purpose, link-local (cloud metadata services), multicast, translated or reserved. */
    REFUSED
  }

  /** The kind of an address, and the range that decided it (for the engine's problem and the log). */
  record Verdict(Kind kind, String range) {}

  private record Range(byte[] prefix, int bits, Kind kind, String name) {

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (prefix[whole] & mask);
    }
  }

  // The IPv4 Special-Purpose Address Registry, less the ranges it marks globally reachable (AS112, AMT).
  private static final List<Range> V4 = List.of(
      v4("0.0.0.0", 8, Kind.REFUSED, "0.0.0.0/8 (this network)"),
      v4("10.0.0.0", 8, Kind.PRIVATE, "10.0.0.0/8 (private network)"),
      v4("100.64.0.0", 10, Kind.PRIVATE, "100.64.0.0/10 (shared address space)"),
      v4("127.0.0.0", 8, Kind.LOOPBACK, "127.0.0.0/8 (loopback)"),
      v4("169.254.0.0", 16, Kind.REFUSED, "169.254.0.0/16 (link-local, cloud metadata services)"),
      v4("172.16.0.0", 12, Kind.PRIVATE, "172.16.0.0/12 (private network)"),
      v4("192.0.0.0", 24, Kind.REFUSED, "192.0.0.0/24 (IETF protocol assignments)"),
      v4("192.0.2.0", 24, Kind.REFUSED, "192.0.2.0/24 (documentation)"),
      v4("192.88.99.0", 24, Kind.REFUSED, "192.88.99.0/24 (6to4 relay anycast)"),
      v4("192.168.0.0", 16, Kind.PRIVATE, "192.168.0.0/16 (private network)"),
      v4("198.18.0.0", 15, Kind.REFUSED, "198.18.0.0/15 (benchmarking)"),
      v4("198.51.100.0", 24, Kind.REFUSED, "198.51.100.0/24 (documentation)"),
      v4("203.0.113.0", 24, Kind.REFUSED, "203.0.113.0/24 (documentation)"),
      v4("224.0.0.0", 4, Kind.REFUSED, "224.0.0.0/4 (multicast)"),
      v4("240.0.0.0", 4, Kind.REFUSED, "240.0.0.0/4 (reserved, broadcast)"));

  // The IPv6 Special-Purpose Address Registry; IPv4-mapped and 6to4 are handled before this list.
  private static final List<Range> V6 = List.of(
      v6("::", 128, Kind.REFUSED, "::/128 (unspecified)"),
      v6("::1", 128, Kind.LOOPBACK, "::1/128 (loopback)"),
      v6("::", 96, Kind.REFUSED, "::/96 (IPv4-compatible, deprecated)"),
      v6("::ffff:0:0:0", 96, Kind.REFUSED, "::ffff:0:0:0/96 (IPv4-translated)"),
      v6("64:ff9b::", 96, Kind.REFUSED, "64:ff9b::/96 (NAT64)"),
      v6("64:ff9b:1::", 48, Kind.REFUSED, "64:ff9b:1::/48 (local-use NAT64)"),
      v6("100::", 64, Kind.REFUSED, "100::/64 (discard-only)"),
      v6("100:0:0:1::", 64, Kind.REFUSED, "100:0:0:1::/64 (dummy prefix)"),
      v6("2001::", 23, Kind.REFUSED, "2001::/23 (IETF protocol assignments, Teredo)"),
      v6("2001:db8::", 32, Kind.REFUSED, "2001:db8::/32 (documentation)"),
      v6("3fff::", 20, Kind.REFUSED, "3fff::/20 (documentation)"),
      v6("5f00::", 16, Kind.REFUSED, "5f00::/16 (segment routing)"),
      v6("fc00::", 7, Kind.PRIVATE, "fc00::/7 (unique local)"),
      v6("fe80::", 10, Kind.REFUSED, "fe80::/10 (link-local)"),
      v6("fec0::", 10, Kind.REFUSED, "fec0::/10 (site-local, deprecated)"),
      v6("ff00::", 8, Kind.REFUSED, "ff00::/8 (multicast)"));

  private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private AddressKinds() {}

  static Verdict of(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return first(V4, b, "public IPv4 address");
    }
    if (address instanceof Inet6Address six) {
      if (Arrays.equals(b, 0, 12, MAPPED_PREFIX, 0, 12)) {
        return embedded(Arrays.copyOfRange(b, 12, 16), "::ffff:0:0/96 (IPv4-mapped) of ");
      }
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
        Verdict inner = embedded(Arrays.copyOfRange(b, 2, 6), "2002::/16 (6to4) of ");
        // 6to4 goes through public relays to the embedded address; whatever is not public is refused.
        return inner.kind() == Kind.PUBLIC ? inner : new Verdict(Kind.REFUSED, inner.range());
      }
      if (six.getScopeId() != 0 || six.getScopedInterface() != null) {
        return new Verdict(Kind.REFUSED, "a scoped address (%" + six.getScopeId() + ")");
      }
      return first(V6, b, "public IPv6 address");
    }
    return new Verdict(Kind.REFUSED, "an unknown kind of address");
  }

  private static Verdict embedded(byte[] four, String form) {
    try {
      Verdict inner = of(InetAddress.getByAddress(four));
      return new Verdict(inner.kind(), form + inner.range());
    } catch (UnknownHostException e) {
      return new Verdict(Kind.REFUSED, form + "an invalid address");
    }
  }

  private static Verdict first(List<Range> ranges, byte[] address, String otherwise) {
    for (Range r : ranges) {
      if (r.contains(address)) {
        return new Verdict(r.kind(), r.name());
      }
    }
    return new Verdict(Kind.PUBLIC, otherwise);
  }

  private static Range v4(String prefix, int bits, Kind kind, String name) {
    return new Range(literal(prefix), bits, kind, name);
  }

  private static Range v6(String prefix, int bits, Kind kind, String name) {
    byte[] b = literal(prefix);
    if (b.length == 4) { // Java turns an IPv4-mapped literal into an IPv4 address: rebuild the 16 bytes
      byte[] sixteen = new byte[16];
      System.arraycopy(MAPPED_PREFIX, 0, sixteen, 0, 12);
      System.arraycopy(b, 0, sixteen, 12, 4);
      b = sixteen;
    }
    return new Range(b, bits, kind, name);
  }

  private static byte[] literal(String address) {
    try {
      return InetAddress.getByName(address).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }
}
