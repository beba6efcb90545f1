package io.ferry.cli.command;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Log levels and format per command: services log INFO; one-shot commands print their result and only
 * warnings. {@code --log-format json} (or relay.log-format / agent.log-format / FERRY_LOG_FORMAT) turns
 * the console's lines into one JSON object each, for a log shipper.
 */
final class Logging {

  private Logging() {}

  /**
   * {@code text} (the default, also for null) keeps logback.xml's pattern; {@code json} replaces the
   * encoder of every console appender with {@link #jsonEncoder(LoggerContext)}.
   */
  static void format(String format) {
    String f = format == null || format.isBlank() ? "text" : format.strip().toLowerCase(Locale.ROOT);
    switch (f) {
      case "text" -> { }
      case "json" -> useJson();
      default -> throw new UserFacingException(ExitCode.USAGE, "the log format must be text or json, was '" + format
          + "' (--log-format, relay.log-format, agent.log-format or FERRY_LOG_FORMAT)");
    }
  }

  /**
   * Logback's own JSON encoder (no extra library): one object per line with timestamp, level, thread,
   * logger, the {@code mdc} ({@code trace_id}, {@code span_id}, {@code job_id}), the formatted message and
   * the throwable. The raw message pattern and its arguments are left out: the formatted message says the
   * same, and what is never put in a message (a secret) is in neither.
   */
  static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.start();
    return encoder;
  }

  private static void useJson() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> console) {
        console.stop();
        console.setEncoder(jsonEncoder(context));
        console.start();
      }
    }
  }

  /** Warnings and errors only, unless the operator asked for a level with FERRY_LOG_LEVEL. */
  static void quiet() {
    if (System.getenv("FERRY_LOG_LEVEL") == null) {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
  }
}
