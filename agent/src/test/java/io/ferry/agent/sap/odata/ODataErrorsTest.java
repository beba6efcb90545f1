package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.SapMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class ODataErrorsTest {

  private static final ODataSettings SETTINGS = ODataSettings.basic(
      URI.create("https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER"), "100", "FERRY", "Secr3t!");

  private static final String ERROR = """
      {"error":{"code":"FSBP_ECC/030","message":{"lang":"en","value":"Language is missing"},
       "innererror":{"transactionid":"ABC","errordetails":[
         {"code":"FSBP_ECC/030","message":"Language is missing","propertyref":"","severity":"error","target":""},
         {"code":"CVI_API/003","message":"Currency is missing","severity":"error","target":""},
         {"code":"/IWBEP/CX_MGW_BUSI_EXCEPTION","message":"Business error","severity":"warning"}]}}}
      """;

  @Test
  void errorJsonBecomesOneMessagePerDetailWithClassAndNumber() {
    assertThat(ODataErrors.fromErrorBody(ERROR)).containsExactly(
        new SapMessage("E", "FSBP_ECC", "030", "Language is missing"),
        new SapMessage("E", "CVI_API", "003", "Currency is missing"),
        new SapMessage("W", "/IWBEP/CX_MGW_BUSI_EXCEPTION", null, "Business error"));
  }

  @Test
  void theTopErrorIsKeptWhenTheDetailsDoNotRepeatIt() {
    String body = "{\"error\":{\"code\":\"/IWBEP/CM_MGW_RT/020\",\"message\":{\"lang\":\"en\",\"value\":\"Resource not found\"}}}";
    assertThat(ODataErrors.fromErrorBody(body))
        .containsExactly(new SapMessage("E", "/IWBEP/CM_MGW_RT", "020", "Resource not found"));
    assertThat(ODataErrors.fromErrorBody("<html>Logon failed</html>")).isEmpty();
    assertThat(ODataErrors.fromErrorBody("")).isEmpty();
  }

  @Test
  void theSapMessageHeaderMapsSeveritiesLikeBapiReturnTypes() {
    String header = """
        {"code":"R11/085","message":"Partner created","severity":"success","target":"","details":[
          {"code":"CVI_EI/060","message":"Check the tax number","severity":"warning"},
          {"code":"ZX/001","message":"For your information","severity":"info"},
          {"code":"ZX/002","message":"Oops","severity":"error"}]}
        """;
    assertThat(ODataErrors.fromSapMessageHeader(header)).extracting(SapMessage::type, SapMessage::id, SapMessage::number)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("S", "R11", "085"),
            org.assertj.core.groups.Tuple.tuple("W", "CVI_EI", "060"),
            org.assertj.core.groups.Tuple.tuple("I", "ZX", "001"),
            org.assertj.core.groups.Tuple.tuple("E", "ZX", "002"));
    assertThat(ODataErrors.fromSapMessageHeader(null)).isEmpty();
  }

  @Test
  void statusesMapToKinds() {
    assertThat(failure(400, ERROR).kind()).isEqualTo(Kind.BUSINESS);
    assertThat(failure(400, ERROR).sapMessages()).hasSize(3);
    assertThat(failure(401, "").kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(failure(403, "").kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(failure(404, "{\"error\":{\"code\":\"ZX/404\",\"message\":{\"value\":\"no such customer\"}}}").kind())
        .isEqualTo(Kind.NOT_FOUND);
    assertThat(failure(404, "Not found").kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(failure(404, "{\"error\":{\"code\":\"/IWFND/MED/170\",\"message\":{\"value\":\"No service found\"}}}")
        .getMessage()).contains("/IWFND/MAINT_SERVICE");
    SapException conflict = failure(412, "");
    assertThat(conflict.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(conflict.code()).isEqualTo(SapErrorCodes.CONFLICT);
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      assertThat(failure(status, "").kind()).as("HTTP %d", status).isEqualTo(Kind.UNAVAILABLE);
    }
    assertThat(failure(401, "").getMessage()).contains("user FERRY").doesNotContain("Secr3t!");
  }

  @Test
  void noAnswerIsUnavailableExceptATlsFailure() {
    assertThat(io(new SocketTimeoutException("timeout")).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(io(new ConnectException("refused")).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(io(new SSLHandshakeException("PKIX path building failed")).kind()).isEqualTo(Kind.CONFIGURATION);
  }

  private static SapException failure(int status, String body) {
    return ODataErrors.failure(new ODataClient.Reply(status, Headers.of(), body), "reading customer 1", SETTINGS);
  }

  private static SapException io(IOException e) {
    return ODataErrors.io(e, "reading customer 1", SETTINGS);
  }
}
