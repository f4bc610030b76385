/** Rows the demo generates in DuckDB unless `--rows` says otherwise. */
export const DEFAULT_DEMO_ROWS = 100_000;
