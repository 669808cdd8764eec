"""Partner matching: profiles to vectors, one question scored against every organisation,
and the reasons for each suggestion (docs/adr/0009-partner-matching.md)."""
