-- Alerts tlsrpt raised (in-app alerting): one row per alert, with where it was sent and how that
-- went. The web dashboard shows it as the alert history; the alerting reads the newest row per
-- (rule, alert_key) to respect its cooldown across restarts.
--   rule       enforce_failures | failure_rate | reporter_silent | rejected_spike
--   alert_key  what is de-duplicated: "domain|organization|result_type" for enforce_failures,
--              "domain" for failure_rate, "organization" for reporter_silent, "" for rejected_spike
--   delivery   "sent", or what failed per channel
CREATE TABLE IF NOT EXISTS ${table:alerts}${on_cluster}
(
    fired_at         DateTime64(3, 'UTC'),
    rule             LowCardinality(String),
    alert_key        String,
    policy_domain    String,
    organization     String,
    mode             LowCardinality(String),
    result_types     Array(String),
    mx_hosts         Array(String),
    failed_sessions  UInt64,
    window_start     DateTime64(3, 'UTC'),
    window_end       DateTime64(3, 'UTC'),
    message          String,
    channels         Array(String),
    delivery         String
)
ENGINE = ${mergetree:alerts}
ORDER BY (rule, alert_key, fired_at)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:alerts:cityHash64(alert_key)};
