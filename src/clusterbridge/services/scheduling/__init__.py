"""Scheduling: B2B meeting-scheduling problems and schedules as files (benchmark ``.dzn``, event
JSON), solved and checked by the engines.

Owns no rows. Calls no other capability: the events capability builds its problems itself.
"""
