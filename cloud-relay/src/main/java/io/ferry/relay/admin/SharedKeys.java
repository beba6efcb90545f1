package io.ferry.relay.admin;

import io.ferry.relay.auth.JobSigningKey;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.store.RelayStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Relays sharing one database must hold the same relay.key and job-signing key. A relay with other files
 * would store webhook secrets the others cannot open and sign jobs the agents refuse, and nothing would
 * say why; so the first relay records its keys in the store and every later one checks it holds them too.
 */
public final class SharedKeys {

  /** What is sealed with relay.key in the store; only the same key opens it. */
  private static final String CHECK = "ferry relay.key check";
  private static final String CHECK_ROW = "relay_keys/1";

  private SharedKeys() {}

  /** Fails the start, naming the files to copy, when this relay's keys are not those of the others. */
  public static void check(RelayStore store, SecretBox secretBox, JobSigningKey signing, Path dataDir, Clock clock) {
    RelayStore.RelayKeys mine = new RelayStore.RelayKeys(signing.publicKey(), secretBox.seal(CHECK, CHECK_ROW),
        clock.instant());
    RelayStore.RelayKeys recorded = store.recordKeys(mine);
    boolean sameSecretBox;
    try {
      sameSecretBox = CHECK.equals(secretBox.open(recorded.secretBoxCheck(), CHECK_ROW));
    } catch (RuntimeException e) {
      sameSecretBox = false;
    }
    boolean sameSigningKey = recorded.jobSigningKey().equals(signing.publicKey());
    if (!sameSecretBox || !sameSigningKey) {
      throw new IllegalStateException("this relay's " + (sameSecretBox ? "" : SecretBox.KEY_FILE)
          + (sameSecretBox || sameSigningKey ? "" : " and ") + (sameSigningKey ? "" : JobSigningKey.FILE_NAME)
          + " in " + dataDir.toAbsolutePath() + " differ from those of the relays already sharing "
          + store.describe() + " (recorded " + recorded.createdAt() + "): copy " + SecretBox.KEY_FILE + " and "
          + JobSigningKey.FILE_NAME + " from the data directory of a running relay into this one (see "
          + "docs/scaling.md, Running two relays)");
    }
  }
}
