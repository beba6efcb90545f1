package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.instant;
import static io.ferry.relay.store.Rows.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AccessStore} in the relay's database. Keys and agents are read through the {@link AccessCache} the whole
 * store shares (its listener drops an agent another relay changed); a change made here drops the entry once it
 * committed, so this relay acts on it at once.
 */
final class SqlAccessStore implements AccessStore {

  private final Database db;
  private final Dialect dialect;
  /** Names this relay in the notice that an agent stops, so it does not hear its own. */
  private final String instanceId;
  private final AccessCache access;

  SqlAccessStore(Database db, String instanceId, AccessCache access) {
    this.db = db;
    this.dialect = db.dialect();
    this.instanceId = instanceId;
    this.access = access;
  }

  @Override
  public String ensureTenant(String name, String newId, Instant now) {
    return db.write("create tenant", c -> {
      // Two relays may create the same tenant at once: the unique name decides, the loser reads the winner's id.
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, newId);
        ps.setString(2, name);
        ps.setLong(3, now.toEpochMilli());
        if (ps.executeUpdate() == 1) {
          return newId;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tenants WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
      throw new SQLException("tenant " + name + " neither inserted nor found");
    });
  }

  @Override
  public boolean tenantExists(String tenantId) {
    return db.read("read tenant", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tenants WHERE id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public Optional<TenantRecord> findTenant(String tenantId) {
    return db.read("read tenant", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM tenants WHERE id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new TenantRecord(rs.getString(1), rs.getString(2), instant(rs, 3)))
              : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<TenantRecord> tenants() {
    return db.read("list tenants", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM tenants ORDER BY id")) {
        List<TenantRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new TenantRecord(rs.getString(1), rs.getString(2), instant(rs, 3)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void insertApiKey(ApiKeyRecord key) {
    db.write("store API key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO api_keys (id, tenant_id, key_hash, created_at, webhook_secret, scopes, expires_at, "
              + "functions, odata_services) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, key.id());
        ps.setString(2, key.tenantId());
        ps.setString(3, key.keyHash());
        ps.setLong(4, key.createdAt().toEpochMilli());
        ps.setString(5, key.webhookSecret());
        ps.setString(6, key.scopes());
        setInstant(ps, 7, key.expiresAt());
        ps.setString(8, key.functions());
        ps.setString(9, key.odataServices());
        ps.executeUpdate();
      }
      return null;
    });
  }

  private static final String API_KEY_COLUMNS =
      "id, tenant_id, key_hash, created_at, revoked_at, webhook_secret, scopes, expires_at, functions, odata_services";

  @Override
  public Optional<ApiKeyRecord> findApiKey(String keyId) {
    return access.apiKey(keyId, this::readApiKey);
  }

  private Optional<ApiKeyRecord> readApiKey(String keyId) {
    return db.read("read API key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE id = ?")) {
        ps.setString(1, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<ApiKeyRecord> apiKeys(String tenantId) {
    return db.read("list API keys", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE tenant_id = ? ORDER BY id")) {
        ps.setString(1, tenantId);
        List<ApiKeyRecord> keys = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(apiKey(rs));
          }
        }
        return keys;
      }
    });
  }

  private static ApiKeyRecord apiKey(ResultSet rs) throws SQLException {
    return new ApiKeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
        rs.getString(6), rs.getString(7), instant(rs, 8), rs.getString(9), rs.getString(10));
  }


  @Override
  public boolean revokeApiKey(String keyId, Instant now) {
    boolean revoked = db.write("revoke API key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, keyId);
        return ps.executeUpdate() == 1;
      }
    });
    access.forgetApiKey(keyId);
    return revoked;
  }

  @Override
  public void insertEnrollmentToken(EnrollmentTokenRecord token) {
    db.write("store enrollment token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO enrollment_tokens (id, tenant_id, agent_group, token_hash, created_at, expires_at) "
              + "VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, token.id());
        ps.setString(2, token.tenantId());
        ps.setString(3, token.agentGroup());
        ps.setString(4, token.tokenHash());
        ps.setLong(5, token.createdAt().toEpochMilli());
        ps.setLong(6, token.expiresAt().toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<EnrollmentTokenRecord> findEnrollmentToken(String tokenId) {
    return db.read("read enrollment token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, tenant_id, agent_group, token_hash, created_at, expires_at, used_at "
              + "FROM enrollment_tokens WHERE id = ?")) {
        ps.setString(1, tokenId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new EnrollmentTokenRecord(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), instant(rs, 5), instant(rs, 6), instant(rs, 7)));
        }
      }
    });
  }

  @Override
  public boolean enrollAgent(String tokenId, AgentRecord agent, Instant now) {
    return db.write("enroll agent", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE enrollment_tokens SET used_at = ?, used_by = ? "
              + "WHERE id = ? AND used_at IS NULL AND expires_at > ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, agent.id());
        ps.setString(3, tokenId);
        ps.setLong(4, now.toEpochMilli());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO agents (id, tenant_id, agent_group, key_hash, name, hostname, version, backend, "
              + "enrolled_at, last_seen, in_flight, public_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, agent.id());
        ps.setString(2, agent.tenantId());
        ps.setString(3, agent.agentGroup());
        ps.setString(4, agent.keyHash());
        ps.setString(5, agent.name());
        ps.setString(6, agent.hostname());
        ps.setString(7, agent.version());
        ps.setString(8, agent.backend());
        ps.setLong(9, agent.enrolledAt().toEpochMilli());
        setInstant(ps, 10, agent.lastSeen());
        ps.setInt(11, agent.inFlight());
        ps.setString(12, agent.publicKey());
        ps.executeUpdate();
      }
      return true;
    });
  }

  private static final String AGENT_COLUMNS = "id, tenant_id, agent_group, key_hash, name, hostname, version, "
      + "backend, enrolled_at, last_seen, in_flight, disabled_at, public_key, previous_public_key, previous_key_until";

  @Override
  public Optional<AgentRecord> findAgent(String agentId) {
    return access.agent(agentId, this::readAgent);
  }

  private Optional<AgentRecord> readAgent(String agentId) {
    return db.read("read agent", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + AGENT_COLUMNS + " FROM agents WHERE id = ?")) {
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<AgentRecord> agents(String tenantId) {
    return db.read("list agents", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + AGENT_COLUMNS + " FROM agents WHERE tenant_id = ? ORDER BY id")) {
        ps.setString(1, tenantId);
        List<AgentRecord> agents = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            agents.add(agent(rs));
          }
        }
        return agents;
      }
    });
  }

  @Override
  public boolean disableAgent(String tenantId, String agentId, Instant now) {
    boolean disabled = db.write("disable agent", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE agents SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ? AND tenant_id = ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, agentId);
        ps.setString(3, tenantId);
        return ps.executeUpdate() == 1;
      }
    });
    access.forgetAgent(agentId);
    return disabled;
  }

  @Override
  public void changeAgentKey(String agentId, String publicKey, Instant previousUntil) {
    db.write("change agent key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE agents SET previous_public_key = public_key, previous_key_until = ?, public_key = ?, key_hash = '-' "
              + "WHERE id = ?")) {
        ps.setLong(1, previousUntil.toEpochMilli());
        ps.setString(2, publicKey);
        ps.setString(3, agentId);
        ps.executeUpdate();
      }
      return null;
    });
    access.forgetAgent(agentId); // the new key works at once
  }

  private static AgentRecord agent(ResultSet rs) throws SQLException {
    return new AgentRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10), rs.getInt(11),
        instant(rs, 12), rs.getString(13), rs.getString(14), instant(rs, 15));
  }

  @Override
  public void recordAgentsSeen(List<AgentSeen> seen) {
    if (seen.isEmpty()) {
      return;
    }
    db.write("record agents' last seen", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE agents SET last_seen = ?, version = COALESCE(?, version), backend = COALESCE(?, backend), "
              + "in_flight = COALESCE(?, in_flight), "
              // A poll after the agent said it stops means it runs again; an older poll written late does not.
              + "left_at = CASE WHEN ? = 1 AND left_at < ? THEN NULL ELSE left_at END WHERE id = ?")) {
        for (AgentSeen s : seen) {
          ps.setLong(1, s.seenAt().toEpochMilli());
          ps.setString(2, s.version());
          ps.setString(3, s.backend());
          if (s.inFlight() == null) {
            ps.setNull(4, Types.INTEGER);
          } else {
            ps.setInt(4, s.inFlight());
          }
          ps.setInt(5, s.polled() ? 1 : 0);
          ps.setLong(6, s.seenAt().toEpochMilli());
          ps.setString(7, s.agentId());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Optional<Instant> lastAgentSeen(String tenantId, String agentGroup) {
    return db.read("read agents' last seen", c -> {
      String sql = "SELECT MAX(last_seen) FROM agents WHERE tenant_id = ? AND left_at IS NULL"
          + (agentGroup == null ? "" : " AND agent_group = ?");
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, tenantId);
        if (agentGroup != null) {
          ps.setString(2, agentGroup);
        }
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(instant(rs, 1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void recordAgentLeft(String tenantId, String agentId, Instant at) {
    db.write("record that an agent stops", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET left_at = ? WHERE id = ? AND tenant_id = ?")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, agentId);
        ps.setString(3, tenantId);
        ps.executeUpdate();
      }
      dialect.notify(c, Dialect.AGENT_LEFT_CHANNEL,
          PgNotifications.agentLeftPayload(instanceId, tenantId, agentId, at));
      return null;
    });
  }

  @Override
  public boolean firstTokenUse(String agentId, String nonce, Instant expiresAt) {
    // ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): a replay inserts nothing instead of failing the
    // transaction, so on SQLite it cannot spoil the writes grouped with it.
    return db.write("record an agent token's use", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_token_uses (agent_id, nonce, expires_at) "
          + "VALUES (?, ?, ?) ON CONFLICT (agent_id, nonce) DO NOTHING")) {
        ps.setString(1, agentId);
        ps.setString(2, nonce);
        ps.setLong(3, expiresAt.toEpochMilli());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public int purgeTokenUses(Instant now) {
    return db.write("forget expired agent token uses", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_token_uses WHERE expires_at <= ?")) {
        ps.setLong(1, now.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }
}
