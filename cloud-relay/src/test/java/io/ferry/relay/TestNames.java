package io.ferry.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * A name server for the tests, installed for the whole test JVM through the JDK's resolver SPI
 * (META-INF/services): names under {@code .loopback.test} resolve to 127.0.0.1, as an attacker's name
 * server would answer; every other name goes to the JDK's own resolver. The relay resolves through it
 * exactly as it resolves in production, so a test sees the address check that runs at connect time.
 */
public final class TestNames extends InetAddressResolverProvider {

  static final String LOOPBACK_SUFFIX = ".loopback.test";

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        if (host.endsWith(LOOPBACK_SUFFIX)) {
          return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        return builtin.lookupByName(host, policy);
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "ferry-test-names";
  }
}
