package io.ferry.cli.command;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"ferry " + (v == null ? "dev" : v), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
  }
}
