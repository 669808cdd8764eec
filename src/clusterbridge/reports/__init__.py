"""Renderings of eligibility reports: text, JSON, HTML and PDF checklists."""
