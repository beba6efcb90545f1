package io.ferry.cli.command;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The SAP of {@code ferry demo --sap odata}: Ferry's OData test server (module odata-peer, on Apache Olingo 2),
 * loaded by name. It is a test server, with Olingo, gson, an old commons-codec and JAX-RS behind it, so it is
 * not a dependency of the cli: the distribution ships it in {@code lib/demo/}, which the launcher puts on the
 * class path of {@code ferry demo} only, never on an agent's or a relay's.
 */
final class ODataDemoPeer implements AutoCloseable {

  static final String PEER_CLASS = "io.ferry.odatapeer.ODataPeer";

  private final AutoCloseable peer;
  private final String url;
  private final String client;
  private final Method nextCustomerNumber;

  private ODataDemoPeer(AutoCloseable peer, String url, String client, Method nextCustomerNumber) {
    this.peer = peer;
    this.url = url;
    this.client = client;
    this.nextCustomerNumber = nextCustomerNumber;
  }

  /**
   * Starts the peer on a free loopback port, with one user and customer numbers from {@code firstNumber}, keeping
   * its data in {@code dataFile} (customers survive a restart of the demo, as the BAPI simulator's do).
   */
  static ODataDemoPeer start(String user, String password, long firstNumber, java.nio.file.Path dataFile)
      throws IOException {
    Class<?> peerClass;
    try {
      peerClass = Class.forName(PEER_CLASS);
    } catch (ClassNotFoundException e) {
      throw new UserFacingException(ExitCode.FAILED, "--sap odata needs Ferry's OData test server, which is not on the "
          + "class path: start the demo with the launcher bin/ferry (or bin\\ferry.cmd), which adds lib/demo/ for "
          + "`ferry demo`, or use --sap bapi");
    }
    try {
      Class<?> optionsClass = Class.forName(PEER_CLASS + "$Options");
      Object options = optionsClass.getMethod("defaults").invoke(null);
      options = optionsClass.getMethod("withCredentials", String.class, String.class).invoke(options, user, password);
      options = optionsClass.getMethod("withFirstNumber", long.class).invoke(options, firstNumber);
      Object peer = invoke(peerClass.getMethod("start", optionsClass, java.nio.file.Path.class), null, options,
          dataFile);
      Method url = peerClass.getMethod("url");
      return new ODataDemoPeer((AutoCloseable) peer, (String) url.invoke(peer),
          (String) optionsClass.getMethod("client").invoke(options), peerClass.getMethod("nextCustomerNumber"));
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("the OData test server in lib/demo/ does not belong to this version of ferry: " + e, e);
    }
  }

  /** Calls {@code method}, rethrowing what it threw (an I/O error starting the server, say) as itself. */
  private static Object invoke(Method method, Object target, Object... args) throws IOException,
      ReflectiveOperationException {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** The service root, {@code http://127.0.0.1:PORT/sap/opu/odata/sap/API_BUSINESS_PARTNER}. */
  String url() {
    return url;
  }

  /** The SAP client the peer serves. */
  String client() {
    return client;
  }

  /** The number the peer gives the next customer it creates. */
  String nextCustomerNumber() {
    try {
      return (String) nextCustomerNumber.invoke(peer);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the OData test server cannot tell its next number: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      peer.close();
    } catch (Exception e) {
      throw new IllegalStateException("the OData test server did not stop: " + e.getMessage(), e);
    }
  }
}
