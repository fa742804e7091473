"""Expert review: assignment with conflicts, scoring, aggregation and ranking (docs/domain.md §5)."""
