package org.wikievents.event;

import org.jspecify.annotations.Nullable;

/**
 * One validated {@code recentchange} event: a row of the silver {@code wiki} table. Text fields are
 * already capped in length; nullable fields are null where the event type does not carry them.
 */
public record WikiEvent(
    long idMostSigBits,
    long idLeastSigBits,
    long eventTimeMillis,
    String wiki,
    @Nullable String domain,
    String type,
    @Nullable Integer namespace,
    @Nullable String title,
    @Nullable String user,
    @Nullable Boolean bot,
    @Nullable Boolean minor,
    @Nullable Boolean patrolled,
    @Nullable Long lengthOld,
    @Nullable Long lengthNew,
    @Nullable Long revisionOld,
    @Nullable Long revisionNew,
    @Nullable String logType,
    @Nullable String logAction,
    @Nullable String comment,
    @Nullable String serverName,
    @Nullable Long rcId) {

  public java.util.UUID eventId() {
    return new java.util.UUID(idMostSigBits, idLeastSigBits);
  }
}
