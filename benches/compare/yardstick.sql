-- The yardstick of benches/compare/yardstick.sh: per household, the sum over its 事项 of
-- min(approved records in 2024 × 2, 20) — the same sums as examples/hand_loop.rs, over the
-- sample compact's synthetic log (run from its folder). Not the compact's rules: only what the
-- issue measured DuckDB doing on such a file.
COPY (
  WITH counts AS (
    SELECT 户号 AS household, 事项 AS item, count(*) AS n
    FROM read_csv('events.csv', header = true, all_varchar = true)
    WHERE 审核 = '通过' AND 日期 >= '2024-01-01' AND 日期 < '2025-01-01'
    GROUP BY ALL
  )
  SELECT household, sum(least(n * 2, 20)) AS total
  FROM counts
  GROUP BY household
  ORDER BY household
) TO '/dev/null' (HEADER, FORMAT csv);
