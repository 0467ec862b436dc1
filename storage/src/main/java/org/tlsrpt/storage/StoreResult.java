package org.tlsrpt.storage;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a batch of inputs became: counts for progress and summaries.
 *
 * @param duplicateInputs the positions, in the batch of one {@link ReportStore#store} call, of the
 *     inputs that brought nothing new: their bytes were archived already, or every report they hold
 *     was stored before (a re-delivered message, the same report by another transport). Rejected
 *     and quarantined inputs are among them only when their very bytes came before. Empty in a sum
 *     of batches ({@link #plus}), where positions mean nothing.
 */
public record StoreResult(
    int inputs,
    int accepted,
    int duplicates,
    int quarantined,
    Map<String, Integer> rejectedByCode,
    Set<Integer> duplicateInputs) {

  public StoreResult {
    rejectedByCode = Map.copyOf(rejectedByCode);
    duplicateInputs = Set.copyOf(duplicateInputs);
  }

  /** Counts without positions. */
  public StoreResult(
      int inputs,
      int accepted,
      int duplicates,
      int quarantined,
      Map<String, Integer> rejectedByCode) {
    this(inputs, accepted, duplicates, quarantined, rejectedByCode, Set.of());
  }

  public static final StoreResult EMPTY = new StoreResult(0, 0, 0, 0, Map.of());

  public int rejected() {
    return rejectedByCode.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Whether the input at {@code position} of the stored batch brought nothing new. */
  public boolean duplicateInput(int position) {
    return duplicateInputs.contains(position);
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
