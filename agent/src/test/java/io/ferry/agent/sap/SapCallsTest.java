package io.ferry.agent.sap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Calls pass the layers outermost first, and a layer's own calls (a look-up) pass only the layers inside it. */
class SapCallsTest {

  private final List<String> seen = new ArrayList<>();

  /** Notes each call it sees, then goes on inward. */
  private SapLayer noting(String name) {
    return new SapLayer() {
      @Override
      public <T> T around(SapCall<T> call, Inner inner) throws SapException {
        seen.add(name + " " + call.operation());
        return inner.run(call);
      }
    };
  }

  @Test
  void aCallPassesEveryLayerOutermostFirstAndThenRuns() throws SapException {
    SapCalls calls = SapCalls.of(noting("outer"), null, noting("inner"));

    String answer = calls.run(SapCall.repeatable("read", "the thing", () -> {
      seen.add("port read");
      return "A";
    }));

    assertThat(answer).isEqualTo("A");
    assertThat(seen).containsExactly("outer read", "inner read", "port read");
  }

  @Test
  void aCallALayerMakesItselfPassesOnlyTheLayersInsideIt() throws SapException {
    SapCall<Optional<String>> lookUp = SapCall.repeatable("find", "the thing", () -> {
      seen.add("port find");
      return Optional.of("found");
    });
    SapLayer looksUpFirst = new SapLayer() {
      @Override
      public <T> T around(SapCall<T> call, Inner inner) throws SapException {
        seen.add("middle " + call.operation());
        if (call.lookUp() != null) {
          Optional<T> found = inner.run(call.lookUp());
          if (found.isPresent()) {
            return found.get();
          }
        }
        return inner.run(call);
      }
    };
    SapCalls calls = SapCalls.of(noting("outer"), looksUpFirst, noting("inner"));

    String answer = calls.run(SapCall.create("create", "the thing", () -> {
      seen.add("port create");
      return "created";
    }, lookUp, "its name"));

    assertThat(answer).isEqualTo("found");
    assertThat(seen).containsExactly("outer create", "middle create", "inner find", "port find");
  }

  @Test
  void withoutLayersACallGoesStraightToItsPort() throws SapException {
    assertThat(SapCalls.DIRECT.run(SapCall.repeatable("read", "the thing", () -> "A"))).isEqualTo("A");
  }
}
