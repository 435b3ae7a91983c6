"""alerts: job-change alerting over job boards and the bluedoor API."""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/alerts-project/alerts"
