package io.ferry.relay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What agents answered about what they allow generically (the catalog, function interfaces, OData schemas and
 * $metadata), kept per tenant and agent group while the group's agents report the same catalog fingerprint in their
 * polls ({@link io.ferry.protocol.PollRequest#catalog()}): a flow designer opening a connector asks for the same
 * schemas again and again, and each would otherwise be a job through SAP.
 *
 * <p>A poll reporting another fingerprint (or none) drops the group's entries, and those of requests that named no
 * group (any agent of the tenant could have answered them). Nothing is kept for a group whose agents report no
 * fingerprint (SQS dispatch, where polls go to the queue; agents older than generic calls), nor for requests naming no
 * group unless every group of the tenant reports the same one. Entries and fingerprints also expire: a relay sharing
 * its database with others hears only the polls that reach it, so the expiry bounds how long another relay's agents
 * can change their allowlist unseen. Bounded in entries; values are SAP metadata, never data or parameter values.
 */
public final class CatalogCache {

  /** What is kept: the catalog, a function's interface, an entity set's schema, a service's $metadata. */
  public enum Kind { CATALOG, FUNCTION, SCHEMA, METADATA }

  private record Group(String tenant, String group) {}

  private record Key(String tenant, String group, Kind kind, String name, String fingerprint) {}

  private final Cache<Group, String> reported;
  private final Cache<Key, JsonNode> entries;

  /**
   * @param maxEntries the bound of kept answers (and of groups whose fingerprint is known)
   * @param fingerprintLife how long a reported fingerprint counts without a poll confirming it
   * @param entryLife how long an answer is kept at most
   */
  public CatalogCache(long maxEntries, Duration fingerprintLife, Duration entryLife) {
    this.reported = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(fingerprintLife).build();
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(entryLife).build();
  }

  /** A poll of an agent of {@code group} reported {@code fingerprint} (null: none). Cheap: every poll calls it. */
  public void reported(String tenant, String group, String fingerprint) {
    Group g = new Group(tenant, group);
    // No sweep of the entries when it changes: they are kept under their fingerprint, so an answer of another one is
    // never served, and their expiry and size bound frees them — a poll stays O(1) while a group's agents disagree.
    if (fingerprint == null) {
      reported.asMap().remove(g);
    } else {
      reported.asMap().put(g, fingerprint);
    }
  }

  /**
   * The fingerprint answers for {@code group} are kept under now: the group's own, or for no group the one every group
   * of the tenant reports; null when nothing may be kept.
   */
  public String fingerprint(String tenant, String group) {
    if (group != null) {
      return reported.getIfPresent(new Group(tenant, group));
    }
    String common = null;
    for (var e : reported.asMap().entrySet()) {
      if (e.getKey().tenant.equals(tenant)) {
        if (common != null && !common.equals(e.getValue())) {
          return null;
        }
        common = e.getValue();
      }
    }
    return common;
  }

  /** The answer kept for this question under the group's current fingerprint. */
  public Optional<JsonNode> get(String tenant, String group, Kind kind, String name) {
    String fingerprint = fingerprint(tenant, group);
    return fingerprint == null ? Optional.empty()
        : Optional.ofNullable(entries.getIfPresent(new Key(tenant, group, kind, name, fingerprint)));
  }

  /**
   * Keeps an agent's answer, if the group's fingerprint is still {@code askedUnder} (the one current when the job was
   * queued) and the answer's own fingerprint, when it names one, is that too: an answer from before a change is
   * never kept after it.
   */
  public void put(String tenant, String group, Kind kind, String name, String askedUnder, String answerFingerprint,
      JsonNode answer) {
    if (askedUnder == null || !askedUnder.equals(fingerprint(tenant, group))
        || (answerFingerprint != null && !answerFingerprint.equals(askedUnder))) {
      return;
    }
    entries.put(new Key(tenant, group, kind, name, askedUnder), answer);
  }

  /** How many answers are kept now (for tests and the operator). */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }
}
