package io.ferry.cli.command;

import io.ferry.agent.relay.AgentVersion;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "version", mixinStandardHelpOptions = true,
    description = {"Print the agent's version, the wire protocol it speaks and which relays accept it, the JCo in use "
        + "and the Java runtime. The relay lists each agent's version too (ferry admin agents list).",
        "A relay accepts agents of its own protocol version and the one before, so upgrade the relay first, then "
            + "the agents (docs/operations.md)."})
final class AgentVersionCommand implements Callable<Integer> {

  enum Output { table, json }

  @Spec CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
  Output output;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("version", AgentVersion.current());
    v.put("protocolVersion", Protocol.VERSION);
    // A relay answers its own protocol version and the previous one (relay.http.AgentHandlers).
    v.put("acceptedByRelayProtocols", new int[] {Protocol.VERSION, Protocol.VERSION + 1});
    v.put("jco", VersionProvider.jco());
    v.put("java", Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")");
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(Protocol.json().writerWithDefaultPrettyPrinter().writeValueAsString(v));
    } else {
      out.println("ferry agent " + v.get("version"));
      out.println("protocol:  " + Protocol.VERSION + " (relays of protocol " + Protocol.VERSION + " and "
          + (Protocol.VERSION + 1) + " accept it)");
      out.println("JCo:       " + v.get("jco"));
      out.println("Java:      " + v.get("java"));
    }
    out.flush();
    return ExitCode.OK;
  }
}
