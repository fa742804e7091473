"""Expert review: assignment with conflicts, scoring, aggregation and ranking (DOMAIN.md §5)."""
