package io.ferry.agent.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.agent.function.FunctionPort;
import io.ferry.agent.policy.GenericGrants;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Catalog;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.function.FunctionInterface;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this agent lets engines reach generically ({@code policy.functions}, {@code policy.odata.resources}) and a
 * fingerprint of it: a SHA-256 over the grants and the interfaces SAP gives the allowed functions. Each poll reports
 * the fingerprint, and the relay forgets the catalog and schemas it cached for the agent's group when it changes —
 * after an administrator changed the grants, or a transport changed a function in SAP.
 *
 * <p>Computed at start and refreshed on a timer. SAP may be down: the fingerprint is then over the grants alone and
 * the interfaces are read again soon ({@link #RETRY}) rather than at the next regular refresh. An agent without grants
 * has no fingerprint, and its polls name none.
 */
public final class CatalogFingerprint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatalogFingerprint.class);
  /** How often the interfaces are read again when nothing else asks. */
  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(15);
  /** How soon after a refresh SAP could not answer it is tried again. */
  static final Duration RETRY = Duration.ofMinutes(1);
  /** Hex digits of the hash kept: 64 bits tell versions of one agent's catalog apart. */
  private static final int LENGTH = 16;

  private final GenericGrants grants;
  private final FunctionPort port;
  private final SapCalls sap;
  private volatile Snapshot snapshot;
  private ScheduledExecutorService timer;

  /** What was last computed: the fingerprint, and each allowed function's interface when SAP gave it. */
  private record Snapshot(String fingerprint, Map<String, FunctionInterface> interfaces, boolean complete) {}

  /**
   * @param port the backend's function port; null when it has none (OData): the fingerprint is then over the grants
   * @param sap the layers the describes pass (retries, breaker, metering)
   */
  public CatalogFingerprint(GenericGrants grants, FunctionPort port, SapCalls sap) {
    this.grants = grants;
    this.port = port;
    this.sap = sap;
    this.snapshot = new Snapshot(grants.isEmpty() ? null : hash(grants, Map.of()), Map.of(), grants.isEmpty());
  }

  /** No grants: no fingerprint, an empty catalog. */
  public static CatalogFingerprint none() {
    return new CatalogFingerprint(GenericGrants.NONE, null, SapCalls.DIRECT);
  }

  /** The fingerprint the polls report; null when nothing is granted. */
  public String current() {
    return snapshot.fingerprint();
  }

  /**
   * Reads every allowed function's interface and computes the fingerprint again. True when SAP answered for every
   * function (a function SAP lacks is an answer too); false when it did not, the fingerprint then being over the
   * grants and what SAP did answer.
   */
  public boolean refresh() {
    if (grants.isEmpty()) {
      return true;
    }
    Map<String, FunctionInterface> interfaces = new LinkedHashMap<>();
    boolean complete = true;
    for (String name : new TreeSet<>(grants.functions())) {
      if (port == null) {
        break;
      }
      try {
        interfaces.put(name, sap.run(SapCall.repeatable("describe", "function module " + name,
            () -> port.describe(name))));
      } catch (SapException e) {
        if (e.kind() != SapException.Kind.NOT_FOUND) {
          complete = false;
          log.debug("the interface of {} could not be read for the catalog: {}", name, e.getMessage());
        }
      } catch (RuntimeException e) {
        complete = false;
        log.warn("FERRY-AGENT-0511 reading the interface of {} for the catalog failed inside the agent ({})", name,
            e.getClass().getSimpleName());
      }
    }
    String before = snapshot.fingerprint();
    // An incomplete reading keeps no half of the interfaces in the hash: over the grants only, until SAP answers.
    Snapshot next = new Snapshot(hash(grants, complete ? interfaces : Map.of()), interfaces, complete);
    snapshot = next;
    if (!next.fingerprint().equals(before)) {
      log.info("FERRY-AGENT-0510 catalog fingerprint {} ({} function(s), {} OData resource(s){})", next.fingerprint(),
          grants.functions().size(), grants.odataResources().size(),
          complete ? "" : "; SAP did not answer for every function, read again in " + RETRY.toMinutes() + " min");
    }
    return complete;
  }

  /** The catalog as {@code catalog.read} answers it: the latest reading, read again first when it was incomplete. */
  public Catalog catalog() {
    if (!snapshot.complete()) {
      refresh();
    }
    Snapshot s = snapshot;
    List<Catalog.Function> functions = new ArrayList<>();
    for (String name : new TreeSet<>(grants.functions())) {
      FunctionInterface i = s.interfaces().get(name);
      functions.add(new Catalog.Function(name, i == null ? null : i.description(), grants.isRepeatable(name)));
    }
    List<Catalog.ODataResource> odata = grants.odataResources().stream()
        .map(r -> new Catalog.ODataResource(r.service(), r.entitySet(),
            GenericGrants.METHODS.stream().filter(r.methods()::contains).toList()))
        .toList();
    return new Catalog(s.fingerprint(), functions, odata);
  }

  /**
   * Computes the fingerprint now, on a daemon thread, and again every {@code every} (after {@link #RETRY} when SAP
   * did not answer). Nothing to do without grants.
   */
  public synchronized CatalogFingerprint start(Duration every) {
    if (grants.isEmpty() || timer != null) {
      return this;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("ferry-catalog").daemon(true)
        .unstarted(r));
    schedule(Duration.ZERO, every);
    return this;
  }

  private void schedule(Duration delay, Duration every) {
    ScheduledExecutorService t = timer;
    if (t == null || t.isShutdown()) {
      return;
    }
    try {
      t.schedule(() -> {
        boolean complete = false;
        try {
          complete = refresh();
        } finally {
          schedule(complete ? every : (RETRY.compareTo(every) < 0 ? RETRY : every), every);
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile: nothing more to compute.
    }
  }

  /** Stops the timer; a refresh under way ends with its SAP calls. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /** SHA-256 over the grants in a fixed order and the interfaces' JSON, as {@value #LENGTH} hex digits. */
  static String hash(GenericGrants grants, Map<String, FunctionInterface> interfaces) {
    StringBuilder text = new StringBuilder();
    text.append("functions=").append(new TreeSet<>(grants.functions())).append('\n');
    text.append("repeatable=").append(new TreeSet<>(grants.repeatableFunctions())).append('\n');
    TreeSet<String> resources = new TreeSet<>();
    grants.odataResources().forEach(r -> resources.add(r.toString()));
    text.append("odata=").append(resources).append('\n');
    for (String name : new TreeSet<>(interfaces.keySet())) {
      try {
        text.append(name).append('=').append(Protocol.json().writeValueAsString(interfaces.get(name))).append('\n');
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("an interface that cannot be written as JSON", e);
      }
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
