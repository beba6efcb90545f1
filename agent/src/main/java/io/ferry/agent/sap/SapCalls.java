package io.ferry.agent.sap;

import java.util.List;

/**
 * The layers every call to SAP passes through, outermost first, ending at the port. The agent stacks the guard
 * outside the retries and the retries outside the metering: a refusal of the guard is never retried nor counted
 * by the breaker, and each try is one timed call.
 */
public final class SapCalls {

  /** No layer at all: each call goes straight to its port (tests, tools). */
  public static final SapCalls DIRECT = new SapCalls(List.of());

  private final List<SapLayer> layers;
  /** What layer {@code i} calls to go on inward: made once, so a call through the layers allocates nothing here. */
  private final SapLayer.Inner[] inward;

  private SapCalls(List<SapLayer> layers) {
    this.layers = layers;
    this.inward = new SapLayer.Inner[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      int next = i + 1;
      inward[i] = new SapLayer.Inner() {
        @Override
        public <U> U run(SapCall<U> call) throws SapException {
          return from(next, call);
        }
      };
    }
  }

  /** {@code layers}, outermost first; null entries (a layer switched off) are left out. */
  public static SapCalls of(SapLayer... layers) {
    return new SapCalls(java.util.Arrays.stream(layers).filter(java.util.Objects::nonNull).toList());
  }

  public <T> T run(SapCall<T> call) throws SapException {
    return from(0, call);
  }

  private <T> T from(int index, SapCall<T> call) throws SapException {
    if (index == layers.size()) {
      return call.runWork();
    }
    return layers.get(index).around(call, inward[index]);
  }
}
