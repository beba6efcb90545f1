package io.ferry.agent.relay;

/** The agent's version as the jar's manifest states it; {@code dev} when run from classes. */
public final class AgentVersion {

  private AgentVersion() {}

  public static String current() {
    String v = AgentVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
