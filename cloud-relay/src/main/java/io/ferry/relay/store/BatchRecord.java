package io.ferry.relay.store;

/**
 * One row of {@code customer_batch_records}.
 *
 * @param recordIndex 1 for the first data row or array element
 * @param recordKey the externalId (upsert) or normalised customer number (update) that two records in flight
 *     must not share; null for inserts and invalid records
 * @param externalId the record's externalId as sent, for the results; null when it had none
 * @param customerNumber the record's customer number: as sent (update), then as SAP answered it
 * @param requestJson the job request ({@code jobs.request_json}) of a valid record; null for an invalid one
 * @param jobId the record's job once it is in flight
 * @param jobState that job's state as read with the record (results only); null without a job
 * @param effect {@code CREATED} or {@code UPDATED} for an upsert that succeeded
 * @param problemJson the RFC 9457 problem of a failed record
 */
public record BatchRecord(
    int recordIndex,
    RecordState state,
    String recordKey,
    String externalId,
    String customerNumber,
    String requestJson,
    String jobId,
    JobState jobState,
    String effect,
    String problemJson) {

  /** A valid record, waiting for its turn. */
  public static BatchRecord pending(int recordIndex, String recordKey, String externalId, String customerNumber,
      String requestJson) {
    return new BatchRecord(recordIndex, RecordState.PENDING, recordKey, externalId, customerNumber, requestJson, null,
        null, null, null);
  }

  /** A record refused at intake, with its problem. */
  public static BatchRecord invalid(int recordIndex, String externalId, String customerNumber, String problemJson) {
    return new BatchRecord(recordIndex, RecordState.FAILED, null, externalId, customerNumber, null, null, null, null,
        problemJson);
  }
}
