package org.wikievents.web;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Identical reads that run at the same time share one computation: the first caller computes, the
 * others wait for its answer. Fifty clients polling the same snapshot cost one read, not fifty.
 * Nothing is kept once the read is done, so no answer is older than the read that made it.
 */
final class SharedReads {
  private final ConcurrentHashMap<String, CompletableFuture<String>> running =
      new ConcurrentHashMap<>();

  String get(String key, Callable<String> read) throws Exception {
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> shared = running.putIfAbsent(key, mine);
    if (shared != null) {
      try {
        return shared.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }
    try {
      String answer = read.call();
      mine.complete(answer);
      return answer;
    } catch (Exception | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(key, mine);
    }
  }
}
