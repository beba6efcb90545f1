package io.ferry.relay.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.callback.AddressKinds.Kind;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The address rule over each form an address can take, after IANA's special-purpose registries. */
class AddressKindsTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      // public
      "8.8.8.8, PUBLIC",
      "93.184.215.14, PUBLIC",
      "2606:4700::1111, PUBLIC",
      "::ffff:8.8.8.8, PUBLIC",
      "2002:0808:0808::1, PUBLIC", // 6to4 of a public address
      // this machine
      "127.0.0.1, LOOPBACK",
      "127.1.2.3, LOOPBACK",
      "::1, LOOPBACK",
      "::ffff:127.0.0.1, LOOPBACK", // IPv4-mapped
      // private networks
      "10.1.2.3, PRIVATE",
      "172.16.0.9, PRIVATE",
      "172.31.255.255, PRIVATE",
      "192.168.1.1, PRIVATE",
      "100.64.0.1, PRIVATE",
      "fd12::1, PRIVATE",
      "::ffff:10.0.0.1, PRIVATE",
      // never
      "0.0.0.0, REFUSED",
      "0.1.2.3, REFUSED",
      "169.254.169.254, REFUSED", // cloud metadata
      "192.0.0.8, REFUSED",
      "192.0.0.170, REFUSED",
      "192.0.2.1, REFUSED",
      "192.88.99.1, REFUSED",
      "198.18.0.1, REFUSED",
      "198.19.255.255, REFUSED",
      "198.51.100.7, REFUSED",
      "203.0.113.10, REFUSED",
      "224.0.0.1, REFUSED",
      "240.0.0.1, REFUSED",
      "255.255.255.255, REFUSED",
      "::, REFUSED",
      "::ffff:169.254.169.254, REFUSED", // IPv4-mapped metadata
      "::a9fe:a9fe, REFUSED", // IPv4-compatible metadata
      "::7f00:1, REFUSED", // IPv4-compatible loopback
      "::0808:0808, REFUSED", // IPv4-compatible: deprecated, whatever it embeds
      "::ffff:0:a9fe:a9fe, REFUSED", // IPv4-translated
      "64:ff9b::a9fe:a9fe, REFUSED", // NAT64 of metadata
      "64:ff9b::808:808, REFUSED", // NAT64: the gateway's IPv4 side is unknown
      "64:ff9b:1::a00:1, REFUSED", // local-use NAT64
      "2002:a9fe:a9fe::1, REFUSED", // 6to4 of metadata
      "2002:7f00:1::1, REFUSED", // 6to4 of loopback
      "2002:0a00:0001::1, REFUSED", // 6to4 of a private address
      "100::1, REFUSED",
      "2001::1, REFUSED", // Teredo
      "2001:2::1, REFUSED", // benchmarking
      "2001:db8::1, REFUSED",
      "3fff::1, REFUSED",
      "5f00::1, REFUSED",
      "fe80::1, REFUSED",
      "fec0::1, REFUSED",
      "ff02::1, REFUSED"})
  void eachFormIsJudged(String address, Kind kind) throws Exception {
    assertThat(AddressKinds.of(InetAddress.getByName(address)).kind()).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource({
      "64:ff9b::a9fe:a9fe, NAT64",
      "::a9fe:a9fe, IPv4-compatible",
      "2002:a9fe:a9fe::1, 6to4",
      "2002:a9fe:a9fe::1, link-local",
      "198.18.0.1, benchmarking"})
  void theVerdictNamesTheRange(String address, String named) throws Exception {
    assertThat(AddressKinds.of(InetAddress.getByName(address)).range()).contains(named);
  }

  @ParameterizedTest
  @CsvSource({"fe80::1%1"})
  void aScopedAddressIsRefused(String address) throws Exception {
    assertThat(AddressKinds.of(InetAddress.getByName(address)).kind()).isEqualTo(Kind.REFUSED);
  }
}
