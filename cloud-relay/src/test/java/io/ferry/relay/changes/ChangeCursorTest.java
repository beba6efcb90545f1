package io.ferry.relay.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The feed's cursor: stable, bound to its tenant and key, refused when edited in any way. */
class ChangeCursorTest {

  private final ChangeCursor cursors = new ChangeCursor("key one".getBytes(StandardCharsets.UTF_8));

  @Test
  void theSamePositionAlwaysGivesTheSameCursorAndReadsBack() {
    String cursor = cursors.encode("tenant-a", 42);
    assertThat(cursor).hasSize(22).matches("[A-Za-z0-9_-]+");
    assertThat(cursors.encode("tenant-a", 42)).isEqualTo(cursor);
    assertThat(cursors.decode("tenant-a", cursor)).hasValue(42);
    assertThat(cursors.decode("tenant-a", cursors.encode("tenant-a", 0))).hasValue(0);
  }

  @Test
  void anotherTenantsOrAnotherKeysCursorIsNone() {
    String cursor = cursors.encode("tenant-a", 42);
    assertThat(cursors.decode("tenant-b", cursor)).isEmpty();
    assertThat(new ChangeCursor("key two".getBytes(StandardCharsets.UTF_8)).decode("tenant-a", cursor)).isEmpty();
  }

  @Test
  void anEditedNumberOrCheckOrSpellingIsRefused() {
    String cursor = cursors.encode("tenant-a", 42);
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    bytes[7] = 43; // the number, check left as it was
    assertThat(cursors.decode("tenant-a", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))).isEmpty();
    bytes = Base64.getUrlDecoder().decode(cursor);
    bytes[15] ^= 1; // the check
    assertThat(cursors.decode("tenant-a", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))).isEmpty();
    assertThat(cursors.decode("tenant-a", cursor + "=")).isEmpty();
    assertThat(cursors.decode("tenant-a", cursor.substring(1))).isEmpty();
    assertThat(cursors.decode("tenant-a", "%%%%%%%%%%%%%%%%%%%%%%")).isEmpty();
    assertThat(cursors.decode("tenant-a", null)).isEmpty();
  }
}
