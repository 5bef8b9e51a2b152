-- The totals of benches/compare/compact.xy in SQL, for DuckDB (run from the village folder).
-- Per household: 100 base points + for each item, sign × min(approved records in 2024 × points,
-- cap). Every cap is a whole multiple of its points, so this is exactly what the compact says.
-- Households with no records keep their base points.
COPY (
  WITH rules(item, points, cap) AS (
    VALUES ('义务投工', 2, 20), ('环境整治', 3, 30), ('志愿服务', 1, 12), ('孝老爱亲', 5, 25),
           ('调解纠纷', 4, 16), ('参加会议', 1, 6), ('乱倒垃圾', -5, 20), ('违规养殖', -10, 30)
  ),
  counts AS (
    SELECT 户号 AS household, 事项 AS item, count(*) AS n
    FROM read_csv('events.csv', header = true, all_varchar = true)
    WHERE 审核 = '通过' AND 日期 >= '2024-01-01' AND 日期 < '2025-01-01'
    GROUP BY ALL
  ),
  scored AS (
    SELECT household, sum(sign(points) * least(n * abs(points), cap)) AS points
    FROM counts JOIN rules USING (item)
    GROUP BY household
  )
  SELECT h.户号 AS household, 100 + coalesce(s.points, 0) AS total
  FROM read_csv('register.csv', header = true, all_varchar = true) AS h
  LEFT JOIN scored AS s ON s.household = h.户号
  ORDER BY household
) TO 'duckdb-totals.csv' (HEADER);
