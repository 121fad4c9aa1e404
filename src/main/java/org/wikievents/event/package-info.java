/**
 * Null-marked: a type without {@code @Nullable} is never null (NullAway checks it at compile time).
 */
@NullMarked
package org.wikievents.event;

import org.jspecify.annotations.NullMarked;
