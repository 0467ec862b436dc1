package org.tlsrpt.storage;

import java.util.Map;
import java.util.TreeMap;

/** What a batch of inputs became: counts for progress and summaries. */
public record StoreResult(
    int inputs,
    int accepted,
    int duplicates,
    int quarantined,
    Map<String, Integer> rejectedByCode) {

  public StoreResult {
    rejectedByCode = Map.copyOf(rejectedByCode);
  }

  public static final StoreResult EMPTY = new StoreResult(0, 0, 0, 0, Map.of());

  public int rejected() {
    return rejectedByCode.values().stream().mapToInt(Integer::intValue).sum();
  }

  public StoreResult plus(StoreResult o) {
    Map<String, Integer> codes = new TreeMap<>(rejectedByCode);
    o.rejectedByCode.forEach((k, v) -> codes.merge(k, v, Integer::sum));
    return new StoreResult(
        inputs + o.inputs,
        accepted + o.accepted,
        duplicates + o.duplicates,
        quarantined + o.quarantined,
        codes);
  }
}
