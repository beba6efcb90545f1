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
  @ValueSource(strings = {"10.1.2.3", "172.16.0.9", "192.168.1.1", "100.64.0.1", "fd12::1", "::ffff:10.0.0.1"})
  void aNameThatResolvesToAPrivateAddressIsRefusedWhenTheCallbackIsSent(String address) {
    CallbackAddresses addresses = new CallbackAddresses(answering(Map.of("hooks.example.com", address)), false, false);
    assertThatThrownBy(() -> addresses.lookup("hooks.example.com"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("relay.callback-private-networks");
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "0.0.0.0", "fe80::1", "224.0.0.1", "240.0.0.1", "64:ff9b::a9fe:a9fe",
      "::a9fe:a9fe", "2002:a9fe:a9fe::", "192.0.0.8", "198.18.0.1", "127.0.0.1", "::1"})
  void aNameThatResolvesToASpecialPurposeAddressIsRefusedWhateverTheOperatorAllows(String address) {
    boolean loopback = address.equals("127.0.0.1") || address.equals("::1");
    CallbackAddresses addresses = new CallbackAddresses(answering(Map.of("hooks.example.com", address)), true, !loopback);
    assertThatThrownBy(() -> addresses.lookup("hooks.example.com"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("may not reach");
  }

  @Test
  void aPublicAddressIsAllowedAndOnlyThePublicAnswersOfAMixedOneAreUsed() throws Exception {
    Dns mixed = host -> List.of(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("127.0.0.1"),
        InetAddress.getByName("64:ff9b::a9fe:a9fe"), InetAddress.getByName("93.184.215.14"));
    assertThat(new CallbackAddresses(mixed, false, false).lookup("flows.example.com"))
        .containsExactly(InetAddress.getByName("93.184.215.14"));
  }

  @Test
  void privateNetworksAreAllowedWhenTheOperatorSaysSoButNeverTheWildcardOrMetadataAddress() throws Exception {
    CallbackAddresses allowing = new CallbackAddresses(
        answering(Map.of("n8n.corp", "10.0.0.7", "any.corp", "0.0.0.0", "meta.corp", "169.254.169.254")), true, false);
    assertThat(allowing.lookup("n8n.corp")).containsExactly(InetAddress.getByName("10.0.0.7"));
    assertThatThrownBy(() -> allowing.lookup("any.corp")).isInstanceOf(UnknownHostException.class);
    assertThatThrownBy(() -> allowing.lookup("meta.corp")).isInstanceOf(UnknownHostException.class);
  }

  @Test
  void loopbackIsAllowedOnlyWithTheLoopbackSetting() throws Exception {
    Map<String, String> names = Map.of("localhost", "127.0.0.1", "rebound.example.com", "127.0.0.1");
    CallbackAddresses off = new CallbackAddresses(answering(names), true, false);
    assertThat(off.refusalOfLiteral("127.0.0.1")).contains("relay.callback-loopback");
    assertThat(off.refusalOfLiteral("[::1]")).contains("relay.callback-loopback");
    assertThat(off.refusalOfLiteral("::ffff:127.0.0.1")).contains("relay.callback-loopback");
    assertThatThrownBy(() -> off.lookup("localhost")).isInstanceOf(UnknownHostException.class);
    assertThatThrownBy(() -> off.lookup("rebound.example.com")).isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("relay.callback-loopback");

    CallbackAddresses on = new CallbackAddresses(answering(names), false, true);
    assertThat(on.lookup("localhost")).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(on.refusalOfLiteral("127.0.0.1")).isNull();
    assertThat(on.refusalOfLiteral("[::1]")).isNull();
  }

  @Test
  void literalAddressesAreJudgedWithoutALookupAndNamesAreLeftToTheResolver() {
    CallbackAddresses addresses = new CallbackAddresses(host -> {
      throw new AssertionError("no lookup expected for " + host);
    }, false, false);
    assertThat(addresses.refusalOfLiteral("169.254.169.254")).contains("169.254.169.254");
    assertThat(addresses.refusalOfLiteral("[fd00::1]")).contains("fd00::1");
    assertThat(addresses.refusalOfLiteral("[64:ff9b::a9fe:a9fe]")).contains("NAT64");
    assertThat(addresses.refusalOfLiteral("[::a9fe:a9fe]")).contains("IPv4-compatible");
    assertThat(addresses.refusalOfLiteral("93.184.215.14")).isNull();
    assertThat(addresses.refusalOfLiteral("flows.example.com")).isNull();
  }
}
