-- Every input as received: the exact bytes (column-compressed), whatever became of them.
-- status: accepted | rejected | quarantined; code and message say why for the last two.
-- The bytes travel as base64 in raw_base64 (not stored) because text formats cannot carry them.
CREATE TABLE IF NOT EXISTS ${db}.raw_inputs${on_cluster}
(
    sha256       FixedString(64),
    received_at  DateTime64(3, 'UTC'),
    source       LowCardinality(String),
    size         UInt32,
    raw_base64   String EPHEMERAL,
    raw          String DEFAULT base64Decode(raw_base64) CODEC(ZSTD(1)),
    status       LowCardinality(String),
    code         LowCardinality(String),
    message      String,
    version      UInt64
)
ENGINE = ${replacing:raw_inputs:version}
ORDER BY sha256;

-- One row per report. Duplicates (same organization, report-id and range) collapse; the first
-- arrival wins because version falls as received_at grows.
CREATE TABLE IF NOT EXISTS ${db}.reports${on_cluster}
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
ORDER BY (organization, report_id, date_start, date_end);

CREATE TABLE IF NOT EXISTS ${db}.policies${on_cluster}
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
ORDER BY (organization, report_id, date_start, date_end, policy_index);

CREATE TABLE IF NOT EXISTS ${db}.failures${on_cluster}
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
ORDER BY (organization, report_id, date_start, date_end, policy_index, detail_index);

-- Daily results per (day, sending organization, policy domain, policy type, mode, result type).
-- result_type '' holds the policy summaries (successful and failed sessions); the other rows hold
-- the failure details. Each row keeps the set of (report, policy, detail, successful, failed)
-- entries it was built from, so a report stored twice adds the same entry twice and counts once.
CREATE TABLE IF NOT EXISTS ${db}.daily_results${on_cluster}
(
    day            Date,
    organization   String,
    policy_domain  String,
    policy_type    LowCardinality(String),
    mode           LowCardinality(String),
    result_type    LowCardinality(String),
    entries        AggregateFunction(groupUniqArray, Tuple(FixedString(32), UInt16, UInt32, UInt64, UInt64))
)
ENGINE = ${aggregating:daily_results}
ORDER BY (day, organization, policy_domain, policy_type, mode, result_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.daily_results_from_policies${on_cluster} TO ${db}.daily_results AS
SELECT toDate(date_start) AS day, organization, policy_domain, policy_type, mode, '' AS result_type,
       groupUniqArrayState((report_key, policy_index, toUInt32(0), successful, failed)) AS entries
FROM ${db}.policies
GROUP BY day, organization, policy_domain, policy_type, mode;

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.daily_results_from_failures${on_cluster} TO ${db}.daily_results AS
SELECT toDate(date_start) AS day, organization, policy_domain, policy_type, mode, result_type,
       groupUniqArrayState((report_key, policy_index, detail_index, toUInt64(0), failed_session_count)) AS entries
FROM ${db}.failures
GROUP BY day, organization, policy_domain, policy_type, mode, result_type;

CREATE VIEW IF NOT EXISTS ${db}.rejected_inputs${on_cluster} AS
SELECT sha256, received_at, source, size, status, code, message
FROM ${db}.raw_inputs FINAL
WHERE status != 'accepted';
