-- Results of the posture checks (`tlsrpt check`) that tlsrpt serve runs on a schedule for the
-- domains of check.domains: one row per finding per run. Dashboards show each domain's newest run
-- (max(checked_at) per domain); the watcher compares a run with the one before it to alert on
-- checks turning to fail, certificates about to expire and MX/policy drift.
--   finding  the stable id of the check (dns.mta_sts_txt, mx.certificate_expiry, ...)
--   status   OK | WARN | FAIL | NOT_CHECKED
--   subject  what was looked at (a DNS name, the policy URL, an MX host)
--   facts    machine-readable details (days_to_expiry, policy_id, mode, ...)
CREATE TABLE IF NOT EXISTS ${table:posture_findings}${on_cluster}
(
    checked_at  DateTime64(3, 'UTC'),
    domain      String,
    finding     LowCardinality(String),
    status      LowCardinality(String),
    subject     String,
    message     String,
    remedy      String,
    facts       Map(String, String)
)
ENGINE = ${mergetree:posture_findings}
ORDER BY (domain, checked_at, finding, subject);
${distributed:posture_findings:cityHash64(domain)};
