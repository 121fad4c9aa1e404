package org.wikievents.store;

/**
 * What one retention pass removed.
 *
 * @param silverRows silver rows deleted
 * @param minutelyRows per-minute gold rows deleted
 * @param done false when the pass stopped at its time budget with more to expire
 */
public record Expired(long silverRows, long minutelyRows, boolean done) {}
