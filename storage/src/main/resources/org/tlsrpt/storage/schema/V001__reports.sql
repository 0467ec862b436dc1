-- Placeholders (storage/.../schema/Migrations.java): on one machine ${table:x} is ${db}.x and
-- ${distributed:x:key} is nothing; on a cluster ${table:x} is the replicated ${db}.x_local on every
-- node and ${distributed:x:key} creates ${db}.x, a Distributed table over them sharded by key.
-- A report's rows all shard by its report_key, so FINAL collapses its copies on one shard.

-- Every input as received: the exact bytes (column-compressed), whatever became of them.
-- status: accepted | rejected | quarantined; code and message say why for the last two.
CREATE TABLE IF NOT EXISTS ${table:raw_inputs}${on_cluster}
(
    sha256       FixedString(64),
    received_at  DateTime64(3, 'UTC'),
    source       LowCardinality(String),
    size         UInt32,
    raw          String CODEC(ZSTD(1)),
    status       LowCardinality(String),
    code         LowCardinality(String),
    message      String,
    version      UInt64
)
ENGINE = ${replacing:raw_inputs:version}
ORDER BY sha256
-- what was acknowledged to a sender must survive a power loss
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:raw_inputs:cityHash64(sha256)};

-- One row per report. Duplicates (same organization, report-id and range) collapse; the first
-- arrival wins because version falls as received_at grows.
CREATE TABLE IF NOT EXISTS ${table:reports}${on_cluster}
(
    organization             String,
    report_id                String,
    date_start               DateTime64(3, 'UTC'),
    date_end                 DateTime64(3, 'UTC'),
    report_key               FixedString(32),
    contact_info             Nullable(String),
    source                   LowCardinality(String),
    received_at              DateTime64(3, 'UTC'),
    dkim                     LowCardinality(String),
    raw_sha256               FixedString(64),
    warnings                 Array(String),
    tls_report_domain        Nullable(String),
    tls_report_submitter     Nullable(String),
    subject_report_id        Nullable(String),
    attachment_filename      Nullable(String),
    attachment_content_type  Nullable(String),
    mail_from                Nullable(String),
    message_id               Nullable(String),
    policy_count             UInt16,
    version                  UInt64,
    INDEX report_key_bloom report_key TYPE bloom_filter GRANULARITY 1
)
ENGINE = ${replacing:reports:version}
ORDER BY (toDate(date_start), organization, report_id, date_start, date_end)
-- what was acknowledged to a sender must survive a power loss
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:reports:cityHash64(report_key)};

CREATE TABLE IF NOT EXISTS ${table:policies}${on_cluster}
(
    organization        String,
    report_id           String,
    date_start          DateTime64(3, 'UTC'),
    date_end            DateTime64(3, 'UTC'),
    policy_index        UInt16,
    report_key          FixedString(32),
    policy_type         LowCardinality(String),
    policy_domain       String,
    mode                LowCardinality(String),
    max_age             Nullable(UInt32),
    mx_patterns         Array(String),
    policy_strings      Array(String),
    policy_fingerprint  FixedString(16),
    successful          UInt64,
    failed              UInt64,
    received_at         DateTime64(3, 'UTC'),
    version             UInt64
)
ENGINE = ${replacing:policies:version}
ORDER BY (toDate(date_start), organization, report_id, date_start, date_end, policy_index)
-- what was acknowledged to a sender must survive a power loss
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:policies:cityHash64(report_key)};

CREATE TABLE IF NOT EXISTS ${table:failures}${on_cluster}
(
    organization            String,
    report_id               String,
    date_start              DateTime64(3, 'UTC'),
    date_end                DateTime64(3, 'UTC'),
    policy_index            UInt16,
    detail_index            UInt32,
    report_key              FixedString(32),
    policy_type             LowCardinality(String),
    policy_domain           String,
    mode                    LowCardinality(String),
    result_type             LowCardinality(String),
    sending_mta_ip          Nullable(String),
    receiving_mx_hostname   Nullable(String),
    receiving_mx_helo       Nullable(String),
    receiving_ip            Nullable(String),
    failed_session_count    UInt64,
    failure_reason_code     Nullable(String),
    additional_information  Nullable(String),
    received_at             DateTime64(3, 'UTC'),
    version                 UInt64
)
ENGINE = ${replacing:failures:version}
ORDER BY (toDate(date_start), organization, report_id, date_start, date_end, policy_index, detail_index)
-- what was acknowledged to a sender must survive a power loss
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:failures:cityHash64(report_key)};

-- The daily summary the summary command, the API and the dashboards read: per (day, sending
-- organization, policy domain, policy type, mode, result type, MX host), sessions and reports.
-- result_type '' rows hold the policy results (successful and failed sessions); the others hold
-- the failure details. It is rebuilt, a day at a time, from the de-duplicated tables (FINAL), so
-- it counts every report once however often it was written; see docs/adr/0005-daily-summary.md.
-- Reports are attributed so that sums over rows stay exact:
--   reports         policy rows: reports whose first policy is in this row;
--   domain_reports  policy rows: reports whose first policy for this policy domain is in this row;
--   result_reports  failure rows: (report, policy domain, result type) first seen in this row;
--   mx_reports      failure rows: (report, policy domain, MX host) first seen in this row.
CREATE TABLE IF NOT EXISTS ${table:daily_summary}${on_cluster}
(
    day             Date,
    organization    String,
    policy_domain   String,
    policy_type     LowCardinality(String),
    mode            LowCardinality(String),
    result_type     LowCardinality(String),
    mx_host         String,
    reports         UInt64,
    domain_reports  UInt64,
    result_reports  UInt64,
    mx_reports      UInt64,
    successful      UInt64,
    failed          UInt64,
    version         UInt64
)
ENGINE = ${replacing:daily_summary:version}
ORDER BY (day, policy_domain, organization, policy_type, mode, result_type, mx_host);
${distributed:daily_summary:toYYYYMMDD(day)};

-- The builds of each day's summary that completed (version = microseconds on the ClickHouse clock
-- when the build began): compared with summary_dirty to find the days to build again. Readers take
-- each day's newest build from daily_summary itself (a build is one INSERT, seen whole or not).
CREATE TABLE IF NOT EXISTS ${table:summary_builds}${on_cluster}
(
    day      Date,
    version  UInt64
)
ENGINE = ${replacing:summary_builds:version}
ORDER BY day;
${distributed:summary_builds:toYYYYMMDD(day)};

-- Days whose reports changed after their summary was built: written after every batch, for
-- every day the batch's reports cover (duplicates included, so a retried batch marks them too).
CREATE TABLE IF NOT EXISTS ${table:summary_dirty}${on_cluster}
(
    day        Date,
    marked_at  UInt64 DEFAULT toUnixTimestamp64Micro(now64(6))
)
ENGINE = ${replacing:summary_dirty:marked_at}
ORDER BY day
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:summary_dirty:toYYYYMMDD(day)};

CREATE VIEW IF NOT EXISTS ${db}.rejected_inputs${on_cluster} AS
SELECT sha256, received_at, source, size, status, code, message
FROM ${db}.raw_inputs FINAL
WHERE status != 'accepted';
