package io.ferry.cli.service;

import java.util.Locale;
import java.util.Optional;

/** The service managers Ferry registers its agent with. */
public enum ServicePlatform {
  /** systemd. */
  LINUX,
  /** The Service Control Manager, through WinSW. */
  WINDOWS;

  /** The platform of this host, empty where Ferry has no service integration (macOS, BSDs). */
  public static Optional<ServicePlatform> current() {
    return of(System.getProperty("os.name", ""));
  }

  static Optional<ServicePlatform> of(String osName) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      return Optional.of(LINUX);
    }
    if (os.startsWith("windows")) {
      return Optional.of(WINDOWS);
    }
    return Optional.empty();
  }
}
