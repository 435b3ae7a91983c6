"""alerts: job-change alerting over job boards and the bluedoor API."""

__version__ = "0.2.0"
HOMEPAGE = "https://github.com/alerts-project/alerts"
