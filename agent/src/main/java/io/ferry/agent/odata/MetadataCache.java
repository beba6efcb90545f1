package io.ferry.agent.odata;

import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each service's parsed {@code $metadata} for some minutes: a flow that asks for schemas on every run does not
 * fetch and parse a megabyte of EDMX each time, and a service SAP changed is read again soon enough.
 */
final class MetadataCache {

  private record Entry(EntitySchemas schemas, Instant until) {}

  private final ODataResourcePort port;
  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentHashMap<String, Entry> byService = new ConcurrentHashMap<>();

  MetadataCache(ODataResourcePort port, Clock clock, Duration ttl) {
    this.port = port;
    this.clock = clock;
    this.ttl = ttl;
  }

  EntitySchemas of(String service) throws SapException {
    Entry e = byService.get(service);
    Instant now = clock.instant();
    if (e != null && now.isBefore(e.until())) {
      return e.schemas();
    }
    EntitySchemas parsed;
    try {
      parsed = EntitySchemas.parse(port.metadata(service));
    } catch (IllegalArgumentException ex) {
      throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "service " + service
          + ": " + ex.getMessage(), List.of());
    }
    byService.put(service, new Entry(parsed, now.plus(ttl)));
    return parsed;
  }
}
