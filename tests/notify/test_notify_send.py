from __future__ import annotations

import json
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import Message
from alerts.notify import native_format, render_message, sample_items, send
from alerts.notify.send import SendResult

MESSAGE = Message(title="2 new: OpenAI", body="hello *world*\n", body_format="markdown")


def json_url(server: HTTPServer, query: str = "") -> str:
    return f"json://127.0.0.1:{server.port}/hook{query}"


def test_json_webhook_receives_title_and_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    message = render_message(sample_items(), "text")

    result = send(json_url(httpserver), message, tag="ch-1")

    assert result == SendResult("sent", "")
    ((request, _),) = httpserver.log
    payload = json.loads(request.data)
    assert payload["title"] == message.title
    assert payload["message"] == message.body
    assert payload["type"] == "info"


def test_server_error_is_a_failure_sent_once(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("boom", status=500)

    # ?retry=3 in the user's URL must not make Apprise retry: the outbox does.
    result = send(json_url(httpserver, "?retry=3"), MESSAGE, tag="ch-1")

    assert result.status == "failed"
    assert "500" in result.detail
    assert len(httpserver.log) == 1


def test_failure_detail_names_no_secret(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("no", status=403)
    url = f"json://alice:hunter2secret@127.0.0.1:{httpserver.port}/hook?token=sk-live-abcdef"

    result = send(url, MESSAGE, tag="ch-2")

    assert result.status == "failed" and result.detail
    for secret in ("hunter2secret", "sk-live-abcdef", "alice"):
        assert secret not in result.detail


def test_unreachable_service_is_a_failure(unused_port: int) -> None:
    result = send(f"json://127.0.0.1:{unused_port}/hook", MESSAGE, tag="ch-1")
    assert result.status == "failed"
    assert "connection" in result.detail.lower()


def test_no_answer_in_time_is_unknown(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response("late")

    httpserver.expect_request("/hook").respond_with_handler(slow)

    result = send(json_url(httpserver), MESSAGE, tag="ch-1", timeout=0.5)

    # The request reached the server and may still be processed: not "failed".
    assert result.status == "unknown"
    assert result.detail
    # Let the abandoned request finish now, so it is not logged in the next test.
    release.set()
    deadline = time.monotonic() + 5
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(httpserver.log) == 1


def test_invalid_url_fails_without_raising_or_leaking() -> None:
    result = send("mailtos://user:topsecret@", MESSAGE, tag="ch-1")
    assert result.status == "failed"
    assert "topsecret" not in result.detail and "mailtos://" in result.detail


def test_tag_must_not_contain_a_colon() -> None:
    with pytest.raises(ValueError, match="':'"):
        send("console://", MESSAGE, tag="ch:1")


def test_email_is_sent_as_html(smtp_server) -> None:
    sink, port = smtp_server
    url = f"mailto://127.0.0.1:{port}/?from=a@example.com&to=b@example.com"
    assert native_format(url) == "html"
    message = render_message(sample_items(), native_format(url))

    result = send(url, message, tag="ch-mail")

    assert result == SendResult("sent", "")
    (received,) = sink.messages
    assert received["Subject"] == message.title
    assert received["To"] == "b@example.com"
    html = received.get_body(preferencelist=("html",)).get_content()
    assert '<a href="https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943" ' in html
    assert "Order Management &amp; Billing Lead" in html
