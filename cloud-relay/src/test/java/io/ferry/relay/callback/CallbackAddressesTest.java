package io.ferry.relay.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackAddressesTest {

  /** A name server under the attacker's control: it answers what the test tells it to. */
  private static Dns answering(Map<String, String> names) {
    return host -> {
      String address = names.get(host);
      if (address == null) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByName(address));
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
      "127.0.0.1", "fd12::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1", "240.0.0.1"})
  void aNameThatResolvesToANonPublicAddressIsRefusedWhenTheCallbackIsSent(String address) {
    CallbackAddresses addresses = new CallbackAddresses(answering(Map.of("hooks.example.com", address)), false);
    assertThatThrownBy(() -> addresses.lookup("hooks.example.com"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("relay.callback-private-networks");
  }

  @Test
  void aPublicAddressIsAllowedAndOnlyThePublicAnswersOfAMixedOneAreUsed() throws Exception {
    Dns mixed = host -> List.of(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("203.0.113.10"));
    assertThat(new CallbackAddresses(mixed, false).lookup("flows.example.com"))
        .containsExactly(InetAddress.getByName("203.0.113.10"));
  }

  @Test
  void privateNetworksAreAllowedWhenTheOperatorSaysSoButNeverTheWildcardAddress() throws Exception {
    CallbackAddresses allowing = new CallbackAddresses(
        answering(Map.of("n8n.corp", "10.0.0.7", "any.corp", "0.0.0.0")), true);
    assertThat(allowing.lookup("n8n.corp")).containsExactly(InetAddress.getByName("10.0.0.7"));
    assertThatThrownBy(() -> allowing.lookup("any.corp")).isInstanceOf(UnknownHostException.class);
  }

  @Test
  void loopbackIsAllowedOnlyWhenTheUrlNamesIt() throws Exception {
    CallbackAddresses addresses = new CallbackAddresses(
        answering(Map.of("localhost", "127.0.0.1", "rebound.example.com", "127.0.0.1", "127.evil.example", "127.0.0.1")),
        false);
    assertThat(addresses.lookup("localhost")).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(addresses.refusalOfLiteral("127.0.0.1")).isNull();
    assertThat(addresses.refusalOfLiteral("[::1]")).isNull();
    assertThatThrownBy(() -> addresses.lookup("rebound.example.com")).isInstanceOf(UnknownHostException.class);
    assertThatThrownBy(() -> addresses.lookup("127.evil.example")).as("a name that looks like loopback")
        .isInstanceOf(UnknownHostException.class);
  }

  @Test
  void literalAddressesAreJudgedWithoutALookupAndNamesAreLeftToTheResolver() {
    CallbackAddresses addresses = new CallbackAddresses(host -> {
      throw new AssertionError("no lookup expected for " + host);
    }, false);
    assertThat(addresses.refusalOfLiteral("169.254.169.254")).contains("169.254.169.254");
    assertThat(addresses.refusalOfLiteral("[fd00::1]")).contains("fd00::1");
    assertThat(addresses.refusalOfLiteral("203.0.113.10")).isNull();
    assertThat(addresses.refusalOfLiteral("flows.example.com")).isNull();
  }
}
