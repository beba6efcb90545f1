package io.ferry.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts of the relay process while requests flow: twice a graceful stop (SIGTERM, as a service
 * manager or a rolling deploy does: held polls and waiting engines are answered, the store closed), twice
 * SIGKILL (a crash: whatever the store had committed is all there is). Nothing the relay accepted may be
 * lost: a 201/202 is only sent after the job is on disk (SQLite WAL, synchronous FULL).
 */
class RelayRestartUnderLoadIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void nothingAcceptedIsLostAcrossGracefulAndHardRestarts() throws Exception {
    List<ChaosRun.Disruption> plan = List.of(ChaosRun.Disruption.STOP_RELAY, ChaosRun.Disruption.KILL_RELAY,
        ChaosRun.Disruption.STOP_RELAY, ChaosRun.Disruption.KILL_RELAY);

    ChaosRun.Figures f = new ChaosRun(work, 120, 8, System.nanoTime(), plan).run();

    f.assertNothingLostNothingDuplicated();
    assertThat(f.relayStops()).isEqualTo(2);
    assertThat(f.relayKills()).isEqualTo(2);
  }
}
