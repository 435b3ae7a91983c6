"""Notices to the ops channel as messages: plain text, one message each, so
a failing board never hides among job changes."""

from __future__ import annotations

from alerts.model import Message, Notice
from alerts.notify.escape import break_mentions, one_line


def notice_message(notice: Notice, service: str | None) -> Message:
    key = notice.board_key
    if notice.kind == "failing":
        title = f"alerts: {key} is failing"
        body = (
            f"{key} has failed {notice.failures} times in a row; its postings stay as they were "
            f"until it answers again.\nLast error: {one_line(notice.error or 'unknown')}"
        )
    else:
        title = f"alerts: {key} recovered"
        body = f"{key} answers again after {notice.failures} failed polls in a row."
    # Error text can quote a server: nothing in it may ping a chat channel.
    return Message(break_mentions(title, service), break_mentions(body, service), "text")
