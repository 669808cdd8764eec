"""Pure domain code: value objects, snapshots and the eligibility engine. No I/O frameworks."""
