package org.tlsrpt.alerting;

import java.time.Duration;

/** Thresholds and timing of the rules. */
public record AlertOptions(
    Duration cooldown,
    int baselinePercent,
    long minSessions,
    int silenceDays,
    long rejectedSpike,
    String dashboardUrl) {}
