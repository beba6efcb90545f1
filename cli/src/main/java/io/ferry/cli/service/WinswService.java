package io.ferry.cli.service;

import java.util.List;

/**
 * The agent as the Windows service {@code FerryAgent}, through the WinSW wrapper that
 * {@code windows\install.ps1} placed (checksum verified) in {@code <DataDir>\service}.
 *
 * @param dataDir the agent's ProgramData folder ({@code C:\ProgramData\Ferry}); a Windows path kept as text,
 *     so that a dry run on another system shows the commands exactly as Windows would run them
 */
public record WinswService(String dataDir) {

  public static final String SERVICE = "FerryAgent";

  public String wrapper() {
    return dataDir.replaceAll("[\\\\/]+$", "") + "\\service\\" + SERVICE + ".exe";
  }

  public ServicePlan plan(ServiceAction action) {
    String exe = wrapper();
    return switch (action) {
      case INSTALL -> new ServicePlan(List.of(
          Step.Run.of(exe, "install"),
          // Recovery actions also when the agent exits with an error, not only when it crashes.
          Step.Run.of("sc.exe", "failureflag", SERVICE, "1")),
          "registered the service " + SERVICE + " (automatic start); start it now with: ferry agent service start");
      case UNINSTALL -> new ServicePlan(List.of(
          Step.Run.tolerant(exe, "stop"),
          Step.Run.of(exe, "uninstall")),
          "removed the service " + SERVICE + "; configuration, data and logs are left as they are");
      case START -> new ServicePlan(List.of(Step.Run.of(exe, "start")), "started " + SERVICE);
      case STOP -> new ServicePlan(List.of(Step.Run.of(exe, "stop")), "stopped " + SERVICE);
      // WinSW's status exits 0 whether the service runs or not; it prints Started when it runs.
      case STATUS -> new ServicePlan(List.of(Step.Run.expecting("Started", exe, "status")), null);
    };
  }
}
