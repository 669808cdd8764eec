"""The web application: server-rendered pages (Jinja2 + htmx), a thin adapter over the services."""
