"""Events: virtual match-making events: participants, meeting requests, the B2B schedule and its
repairs, agendas, notifications and reminders, outcomes, the event report, the organiser's
exports (CSV and XLSX), the demo event, and what the home page says of a user's events
(``overview``).

Owns ``Event`` and everything under it. May call ``accounts`` (the demo event's people) and the
shared helpers (``services.mail``, ``services.text``).
"""
