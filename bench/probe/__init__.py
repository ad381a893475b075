"""A bench-only tenant app whose second migration adds a column (bench.migrate's release)."""
