"""Notices to the ops channel as messages: one message each, so a failing
board never hides among job changes.

The board key and the error (which can quote a server) are escaped as
posting text is (escape.py): in a channel that renders Markdown (Slack,
Discord, Mattermost...) they can neither ping anyone nor restyle or link.
"""

from __future__ import annotations

from alerts.model import Message, Notice
from alerts.notify.context import escape_title
from alerts.notify.escape import renders_markdown, text_escaper


def notice_message(
    notice: Notice, service: str | None, body_format: str = "text", send_format: str = "text"
) -> Message:
    """`body_format` and `send_format`: how the channel's messages are
    written and sent (compose.Target); a notice is Markdown where the
    channel's are, else plain text."""
    markdown = renders_markdown(body_format, service) or renders_markdown("text", service)
    escape = text_escaper("markdown" if markdown else "text", service)
    key = escape(notice.board_key)
    # The title as a posting's (escape_title): Markdown only where the service shows it so.
    named = escape_title(notice.board_key, service)
    if notice.kind == "failing":
        title = f"alerts: {named} is failing"
        body = (
            f"{key} has failed {notice.failures} times in a row; its postings stay as they were "
            f"until it answers again.\nLast error: {escape(notice.error or 'unknown')}"
        )
    else:
        title = f"alerts: {named} recovered"
        body = f"{key} answers again after {notice.failures} failed polls in a row."
    return Message(title, body, send_format if markdown else "text")
