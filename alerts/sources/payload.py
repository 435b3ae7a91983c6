"""Shape checks for a decoded response.

A board whose response is not the shape we know fails as a whole: one
posting we cannot identify would otherwise look like a closed posting.
"""

from __future__ import annotations

from typing import Any

from alerts.errors import SourceError
from alerts.model import BoardRef


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


def _says(payload: Any) -> str:
    # Some hosts answer 200 with an error object; its text is the best clue.
    said = payload.get("error") or payload.get("message") if isinstance(payload, dict) else None
    return f" (it says: {said[:200]!r})" if isinstance(said, str) and said.strip() else ""


def malformed(board: BoardRef, detail: str) -> SourceError:
    return SourceError(board.key, detail, transient=False)


def jobs_in(payload: Any, board: BoardRef, key: str | None) -> list[dict[str, Any]]:
    """The list of job records: `payload[key]`, or the payload itself when key is None."""
    if key is None:
        jobs = payload
        where = "the response"
    else:
        if not isinstance(payload, dict):
            raise malformed(board, f"expected a JSON object with {key!r}, got {_json_type(payload)}")
        if key not in payload:
            raise malformed(board, f"the response has no {key!r} list{_says(payload)}")
        jobs = payload[key]
        where = repr(key)
    if not isinstance(jobs, list):
        got = f"{_json_type(jobs)}{_says(jobs)}"
        raise malformed(board, f"expected {where} to be a list of jobs, got {got}")
    for index, job in enumerate(jobs):
        if not isinstance(job, dict):
            raise malformed(board, f"job #{index + 1} is {_json_type(job)}, not an object")
    return jobs


def job_id(job: dict[str, Any], board: BoardRef, index: int, key: str = "id") -> str:
    value = job.get(key)
    # bool is an int subclass, and `true` is no id.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise malformed(board, f"job #{index + 1} has no usable {key!r} (got {_json_type(value)})")


MAX_ID = 200  # the store keeps ids up to 255 characters


def bounded_id(text: str) -> str:
    """An id as given, or its digest when it is too long to store."""
    import hashlib

    return text if len(text) <= MAX_ID else "sha256:" + hashlib.sha256(text.encode()).hexdigest()
