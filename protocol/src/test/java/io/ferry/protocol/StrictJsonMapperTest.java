package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The mapper both sides read with refuses JSON that two readers would read differently: so an agent
 * parsing the relay's answers, and the relay parsing an agent's messages, see one meaning or an error.
 */
class StrictJsonMapperTest {

  private final ObjectMapper json = Protocol.json();

  @Test
  void aMemberNamedTwiceIsAnErrorThatNamesIt() {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
        () -> json.readValue("{\"protocolVersion\":1,\"maxJobs\":1,\"maxJobs\":50}", PollRequest.class));
    assertThat(Protocol.jsonError(e)).isEqualTo("duplicate member 'maxJobs'");
    JsonProcessingException nested = catchThrowableOfType(JsonProcessingException.class,
        () -> json.readTree("{\"a\":{\"b\":1,\"b\":2}}"));
    assertThat(Protocol.jsonError(nested)).isEqualTo("duplicate member 'b'");
  }

  @Test
  void aSecondValueAfterTheFirstIsAnError() {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
        () -> json.readValue("{\"protocolVersion\":1,\"maxJobs\":1}{\"maxJobs\":50}", PollRequest.class));
    assertThat(Protocol.jsonError(e)).isEqualTo(Protocol.TRAILING_CONTENT);
  }

  @Test
  void whitespaceAfterTheValueIsNoContent() throws JsonProcessingException {
    assertThat(json.readValue("{\"protocolVersion\":1,\"maxJobs\":3}\n\t ", PollRequest.class).maxJobs()).isEqualTo(3);
  }
}
