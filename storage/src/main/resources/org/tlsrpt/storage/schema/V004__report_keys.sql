-- The report keys stored, ordered by key: the writer's "is this report stored already?" lookup of a
-- batch (thousands of keys at once) reads a few granules of this table by its primary key, where
-- the same lookup on reports (ordered by day and organization, the key found through a bloom
-- filter) read nearly every granule, ever more as the store grew (docs/performance.md).
-- Written after a batch's report rows; a report's key row with the same version as its row.
CREATE TABLE IF NOT EXISTS ${table:report_keys}${on_cluster}
(
    report_key  FixedString(32),
    version     UInt64
)
ENGINE = ${replacing:report_keys:version}
ORDER BY report_key
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
${distributed:report_keys:cityHash64(report_key)};

-- the keys of the reports stored before this table existed
INSERT INTO ${db}.report_keys SELECT report_key, version FROM ${db}.reports;
