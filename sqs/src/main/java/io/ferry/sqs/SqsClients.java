package io.ferry.sqs;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the one SQS client relay and agent use: HTTPS through the JDK, credentials as the settings say. */
public final class SqsClients {

  /** Longer than a long poll's 20 s wait, so a receive that waits its full time is not cut off. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private SqsClients() {}

  public static SqsClient open(SqsSettings settings) {
    return open(settings, new RequestCount());
  }

  /** As {@link #open(SqsSettings)}, counting every request in {@code count}. */
  public static SqsClient open(SqsSettings settings, RequestCount count) {
    var builder = SqsClient.builder()
        .overrideConfiguration(c -> c.addExecutionInterceptor(count))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(READ_TIMEOUT));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(SqsSettings settings) {
    if (settings.accessKeyId() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
        settings.secretAccessKey()));
  }
}
