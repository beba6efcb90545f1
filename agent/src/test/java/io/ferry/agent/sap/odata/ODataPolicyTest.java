package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapException;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.protocol.CustomerPatch;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** policy.odata.paths is asked before every request: a path not on it is never sent. */
class ODataPolicyTest {

  private static ODataPeer peer;

  @BeforeAll
  static void startPeer() throws Exception {
    peer = ODataPeer.start(ODataPeer.Options.defaults());
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  @BeforeEach
  void fresh() {
    peer.reset();
  }

  private static ODataBackend backend(AgentPolicy policy) {
    ODataSettings settings = ODataSettings.basic(URI.create(peer.url()), "100", "FERRY", "ferry-peer");
    return new ODataBackend(settings, policy.calls(settings.serviceUrl()));
  }

  @Test
  void anEntitySetNotOnTheListIsRefusedAndNothingIsSent() {
    try (ODataBackend backend = backend(AgentPolicy.defaults().withODataPaths("A_BusinessPartnerAddress"))) {
      peer.clearRequests();

      SapException e = catchThrowableOfType(SapException.class, () -> backend.create(ODataBackendTest.acme()));

      assertThat(e.kind()).isEqualTo(SapException.Kind.FORBIDDEN);
      assertThat(e.code()).isEqualTo(AgentPolicy.PATH_FORBIDDEN);
      assertThat(e.getMessage()).startsWith("forbidden by agent policy").contains("POST", "A_BusinessPartner",
          "policy.odata.paths");
      assertThat(peer.requests()).noneMatch(r -> r.startsWith("POST"));
    }
  }

  @Test
  void anEntitySetCoversItsKeyedEntitiesWhileOthersStayClosed() throws Exception {
    String number;
    try (ODataBackend open = backend(AgentPolicy.defaults())) {
      number = open.create(ODataBackendTest.acme()).customerNumber();
    }
    try (ODataBackend backend = backend(AgentPolicy.defaults().withODataPaths("A_BusinessPartner"))) {
      assertThat(backend.read(number).name()).isEqualTo("Acme GmbH");
      backend.update(number, CustomerPatch.fromMergePatch((ObjectNode) new ObjectMapper().readTree("{\"name\":\"Acme AG\"}")));
      peer.clearRequests();

      SapException e = catchThrowableOfType(SapException.class, () -> backend.update(number,
          CustomerPatch.fromMergePatch((ObjectNode) new ObjectMapper().readTree("{\"email\":\"new@acme.example\"}"))));

      assertThat(e.code()).isEqualTo(AgentPolicy.PATH_FORBIDDEN);
      assertThat(peer.requests()).allMatch(r -> r.startsWith("GET"));
    }
  }

  @Test
  void anAbsoluteServicePathCoversTheWholeService() throws Exception {
    String service = URI.create(peer.url()).getPath();
    try (ODataBackend backend = backend(AgentPolicy.defaults().withODataPaths(service.isEmpty() ? "/" : service))) {
      assertThat(backend.create(ODataBackendTest.acme()).customerNumber()).isNotBlank();
    }
  }
}
