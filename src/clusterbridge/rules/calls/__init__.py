"""The shipped call files (data, not code)."""
