package com.sap.conn.jco.ext;

import io.ferry.sapsim.JcoBridge;

/**
 * Where the application plugs its providers into the JCo runtime. Only one destination data
 * provider can be registered per process: a second registration fails with
 * {@link IllegalStateException}, as in SAP's JCo.
 */
public final class Environment {

  private Environment() {}

  public static void registerDestinationDataProvider(DestinationDataProvider provider) {
    JcoBridge.registerProvider(provider);
  }

  /** Removes the provider; {@link IllegalStateException} when it is not the registered one. */
  public static void unregisterDestinationDataProvider(DestinationDataProvider provider) {
    JcoBridge.unregisterProvider(provider);
  }

  public static boolean isDestinationDataProviderRegistered() {
    return JcoBridge.isProviderRegistered();
  }
}
