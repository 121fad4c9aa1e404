package org.wikievents.event;

/**
 * One validated {@code recentchange} event: a row of the silver {@code wiki} table. Text fields are
 * already capped in length; nullable fields are null where the event type does not carry them.
 */
public record WikiEvent(
    long idMostSigBits,
    long idLeastSigBits,
    long eventTimeMillis,
    String wiki,
    String domain,
    String type,
    Integer namespace,
    String title,
    String user,
    Boolean bot,
    Boolean minor,
    Boolean patrolled,
    Long lengthOld,
    Long lengthNew,
    Long revisionOld,
    Long revisionNew,
    String logType,
    String logAction,
    String comment,
    String serverName,
    Long rcId) {

  public java.util.UUID eventId() {
    return new java.util.UUID(idMostSigBits, idLeastSigBits);
  }
}
