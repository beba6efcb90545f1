package io.ferry.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * The relay's signature of a {@link JobEnvelope}: ECDSA P-256 / SHA-256 (P1363, base64url) over the
 * canonical JSON of the envelope without its signature — every field, jobId, attempt, action, payload,
 * deadline and leaseExpiresAt included — with object keys sorted at every depth and no whitespace. Relay
 * and agent build it with this one class, so they agree byte for byte.
 */
public final class JobSignature {

  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  private static final ObjectMapper JSON = Protocol.json();

  private JobSignature() {}

  public static JobEnvelope sign(PrivateKey key, JobEnvelope job) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(canonical(job));
      return job.withSignature(Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign job " + job.jobId() + " (" + e.getMessage() + ")", e);
    }
  }

  /** Whether {@code job} carries a signature by {@code key} over exactly its fields. */
  public static boolean verify(PublicKey key, JobEnvelope job) {
    if (job.signature() == null) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(canonical(job));
      return s.verify(Base64.getUrlDecoder().decode(job.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static byte[] canonical(JobEnvelope job) {
    JsonNode tree = JSON.valueToTree(job.withSignature(null));
    return sorted(tree).toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }
}
