package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import io.ferry.sqs.SqsSettings;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code sqs.*} settings relay and agent share: {@code sqs.region} (required), {@code sqs.queue-prefix},
 * {@code sqs.endpoint}, {@code sqs.fifo}, and {@code sqs.access-key-id} with {@code sqs.secret-access-key} (both, or
 * neither for the AWS default credentials chain). Each from the config file or the environment
 * ({@code FERRY_SQS_REGION}, …); the agent's secret may be {@code ${secret:NAME}}.
 */
final class SqsSetup {

  private SqsSetup() {}

  static SqsSettings sqs(Settings s, String regionFlag, String endpointFlag) {
    String region = s.get("sqs.region", regionFlag, null);
    if (region == null) {
      throw new Settings.SettingsException("SQS dispatch needs sqs.region (--sqs-region), for example eu-central-1; "
          + "for an SQS-compatible server any region it accepts, with sqs.endpoint");
    }
    String endpoint = s.get("sqs.endpoint", endpointFlag, null);
    URI uri = null;
    if (endpoint != null && !endpoint.isBlank()) {
      try {
        uri = new URI(endpoint.strip());
      } catch (URISyntaxException e) {
        throw new Settings.SettingsException("sqs.endpoint is not a URL: '" + endpoint + "' (" + e.getReason() + ")");
      }
    }
    String fifo = s.get("sqs.fifo", null, "true").strip();
    if (!fifo.equalsIgnoreCase("true") && !fifo.equalsIgnoreCase("false")) {
      throw new Settings.SettingsException("sqs.fifo must be true or false, was '" + fifo + "'");
    }
    try {
      return new SqsSettings(s.get("sqs.queue-prefix", null, SqsSettings.DEFAULT_PREFIX).strip(), region.strip(), uri,
          Boolean.parseBoolean(fifo), s.get("sqs.access-key-id", null, null), s.get("sqs.secret-access-key", null, null));
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingsException(e.getMessage());
    }
  }
}
