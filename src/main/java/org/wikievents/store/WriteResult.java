package org.wikievents.store;

/**
 * What one committed batch did.
 *
 * @param received events in the batch
 * @param stored events new to silver (and so to bronze and gold)
 * @param duplicates valid events whose {@code meta.id} was already stored, or repeated in the batch
 * @param quarantined events that could not be stored and went to quarantine
 * @param canaries monitoring events discarded
 */
public record WriteResult(
    int received, int stored, int duplicates, int quarantined, int canaries) {}
