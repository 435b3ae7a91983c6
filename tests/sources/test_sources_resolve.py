"""Careers-page URLs and `kind:token` to boards; everything else refused."""

from __future__ import annotations

import pytest

from alerts.boards import ACCEPTED_FORMS, resolve_board
from alerts.model import BoardRef
from alerts.sources import SOURCES

ACCEPTED = [
    # kind:token
    ("greenhouse:stripe", "greenhouse:stripe"),
    (" lever:plaid ", "lever:plaid"),
    ("lever-eu:x", "lever-eu:x"),
    ("smartrecruiters:Ubisoft2", "smartrecruiters:Ubisoft2"),
    ("bluedoor:company=OpenAI", "bluedoor:company=OpenAI"),
    # Ashby
    ("https://jobs.ashbyhq.com/openai", "ashby:openai"),
    ("https://jobs.ashbyhq.com/openai/", "ashby:openai"),
    ("https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943/application", "ashby:openai"),
    ("HTTPS://JOBS.ASHBYHQ.COM/openai?utm_source=x", "ashby:openai"),
    ("https://api.ashbyhq.com/posting-api/job-board/openai?includeCompensation=true", "ashby:openai"),
    # Greenhouse
    ("https://boards.greenhouse.io/stripe", "greenhouse:stripe"),
    ("http://boards.greenhouse.io/stripe/", "greenhouse:stripe"),
    ("https://boards.greenhouse.io/stripe/jobs/6136160004", "greenhouse:stripe"),
    ("https://job-boards.greenhouse.io/stripe", "greenhouse:stripe"),
    ("https://job-boards.eu.greenhouse.io/stripe?gh_src=abc", "greenhouse:stripe"),
    ("https://boards.greenhouse.io/embed/job_board?for=stripe", "greenhouse:stripe"),
    ("https://boards.greenhouse.io/embed/job_app?for=stripe&token=6136160004", "greenhouse:stripe"),
    ("https://boards-api.greenhouse.io/v1/boards/stripe/jobs", "greenhouse:stripe"),
    ("https://boards-api.greenhouse.io/v1/boards/stripe/jobs?content=true", "greenhouse:stripe"),
    # Lever
    ("https://jobs.lever.co/plaid", "lever:plaid"),
    ("https://Jobs.Lever.co/plaid/2193db3f-77c5-43b8-b030-8f92c9882bf1/apply", "lever:plaid"),
    ("https://jobs.eu.lever.co/x", "lever-eu:x"),
    ("https://api.lever.co/v0/postings/plaid?mode=json", "lever:plaid"),
    ("https://api.eu.lever.co/v0/postings/x", "lever-eu:x"),
    # Workable
    ("https://apply.workable.com/x/", "workable:x"),
    ("https://apply.workable.com/huckberry/j/62180FD5F9/", "workable:huckberry"),
    ("https://apply.workable.com/api/v1/widget/accounts/huckberry", "workable:huckberry"),
    # Recruitee: the board is the host name
    ("https://x.recruitee.com/", "recruitee:x"),
    ("https://Channable.recruitee.com/o/head-of-people-culture", "recruitee:channable"),
    ("https://channable.recruitee.com/api/offers/", "recruitee:channable"),
    # SmartRecruiters
    ("https://jobs.smartrecruiters.com/X", "smartrecruiters:X"),
    (
        "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444-crm-webmarketing-assistant",
        "smartrecruiters:Ubisoft2",
    ),
    ("https://careers.smartrecruiters.com/Ubisoft2", "smartrecruiters:Ubisoft2"),
    ("https://api.smartrecruiters.com/v1/companies/Ubisoft2/postings", "smartrecruiters:Ubisoft2"),
    # Personio: the board is the host name, on .de or .com
    ("personio:acme", "personio:acme"),
    ("https://acme.jobs.personio.de", "personio:acme"),
    ("https://Acme.jobs.personio.com/", "personio:acme"),
    ("https://acme.jobs.personio.de/job/3100001?language=de&display=en", "personio:acme"),
    ("https://acme.jobs.personio.de/xml", "personio:acme"),
    ("https://acme-jobs.personio.de/", "personio:acme"),  # the host retired in 2021
    # Teamtailor, North-American accounts included
    ("https://acme.teamtailor.com/jobs", "teamtailor:acme"),
    ("https://career.teamtailor.com", "teamtailor:career"),
    ("https://acme.teamtailor.com/jobs/7167985-account-executive", "teamtailor:acme"),
    ("https://rooted.na.teamtailor.com/jobs", "teamtailor:rooted.na"),
    ("https://acme.teamtailor.com/jobs.json", "teamtailor:acme"),
    ("teamtailor:rooted.na", "teamtailor:rooted.na"),
    # Breezy HR
    ("https://acme.breezy.hr", "breezy:acme"),
    ("https://acme.breezy.hr/p/a1b2c3d4e5f6-account-manager/apply", "breezy:acme"),
    ("https://acme.breezy.hr/json", "breezy:acme"),
    # Pinpoint
    ("https://workwithus.pinpointhq.com", "pinpoint:workwithus"),
    (
        "https://workwithus.pinpointhq.com/en/postings/ce6c9e5c-a2d3-42b0-a01e-9edeae315b04",
        "pinpoint:workwithus",
    ),
    ("https://workwithus.pinpointhq.com/postings.json", "pinpoint:workwithus"),
    # Workday: tenant and data centre from the host, the site from the path
    ("workday:nvidia.wd5/NVIDIAExternalCareerSite", "workday:nvidia.wd5/NVIDIAExternalCareerSite"),
    ("workday:NVIDIA.WD5/NVIDIAExternalCareerSite", "workday:nvidia.wd5/NVIDIAExternalCareerSite"),
    (
        "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite",
        "workday:nvidia.wd5/NVIDIAExternalCareerSite",
    ),
    (
        "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite",
        "workday:nvidia.wd5/NVIDIAExternalCareerSite",
    ),
    (
        "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite/job/US-CA-Santa-Clara/Title_JR2017740-1",
        "workday:nvidia.wd5/NVIDIAExternalCareerSite",
    ),
    (
        "https://salesforce.wd12.myworkdayjobs.com/en-US/External_Career_Site/details/Title_JR268932?jobFamilyGroup=1",
        "workday:salesforce.wd12/External_Career_Site",
    ),
    ("https://Acme.wd103.myworkdayjobs.com/fr/Careers/login", "workday:acme.wd103/Careers"),
    (
        "https://nvidia.wd5.myworkdayjobs.com/wday/cxs/nvidia/NVIDIAExternalCareerSite/jobs",
        "workday:nvidia.wd5/NVIDIAExternalCareerSite",
    ),
    # BambooHR: the board is the host name
    ("bamboohr:acme", "bamboohr:acme"),
    ("https://acme.bamboohr.com/careers", "bamboohr:acme"),
    ("https://ACME.bamboohr.com/careers/86", "bamboohr:acme"),
    ("https://acme.bamboohr.com/careers/list", "bamboohr:acme"),
    ("https://acme.bamboohr.com/jobs/embed2.php", "bamboohr:acme"),
    # Rippling
    ("rippling:3rd-street-youth-center-clinic", "rippling:3rd-street-youth-center-clinic"),
    ("https://ats.rippling.com/acme/jobs", "rippling:acme"),
    ("https://ats.rippling.com/acme/jobs/0f5b3a1e-1111-4c2d-9e8f-000000000001", "rippling:acme"),
    ("https://ats.rippling.com/en-GB/acme/jobs", "rippling:acme"),
    ("https://api.rippling.com/platform/api/ats/v1/board/acme/jobs", "rippling:acme"),
    ("https://ats.rippling.com/api/v2/board/acme/jobs?page=0", "rippling:acme"),
    # JSON-LD: the URL itself, written after jsonld:
    ("jsonld:https://careers.example.com/jobs", "jsonld:https://careers.example.com/jobs"),
    (
        "jsonld:https://careers.example.com/sitemap.xml?x=1",
        "jsonld:https://careers.example.com/sitemap.xml?x=1",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted(text: str, expected: str) -> None:
    board = resolve_board(text)
    assert isinstance(board, BoardRef) and board.key == expected
    assert board.source in SOURCES


REFUSED = [
    "stripe",
    "greenhouse:",
    ":stripe",
    "workday:acme",
    "workday:acme.wd5",
    "workday:acme.wd5/",
    "workday:acme.wd5/Careers/extra",
    "workday:acme.wd5/../../admin",
    "workday:acme.example.com/Careers",
    "workday:acme.wd5/Care ers",
    "https://nvidia.wd5.myworkdayjobs.com/",
    "https://nvidia.wd5.myworkdayjobs.com/en-US",
    "https://nvidia.myworkday.com/nvidia/d/home.htmld",
    "https://nvidia.wd5.myworkdayjobs.com/wday/cxs/other/Site/jobs",
    "bamboohr:acme/../x",
    "bamboohr:acme.example",
    "https://www.bamboohr.com/careers",
    "https://a.b.bamboohr.com/careers",
    "rippling:a/b",
    "https://ats.rippling.com/",
    "https://ats.rippling.com/api/v2/board/",
    "jsonld:careers.example.com/jobs",
    "jsonld:ftp://careers.example.com/jobs",
    "jsonld:https://",
    "jsonld:https://user:secret@careers.example.com/jobs",
    "jsonld:https://careers.example.com/jo bs",
    "jsonld:https://careers.example.com:99999/jobs",
    "jsonld:https://careers.example.com/" + "x" * 3000,
    "lever:plaid/extra",
    "https://example.com/careers",
    "https://jobs.ashbyhq.com/",
    "https://boards.greenhouse.io/embed/job_board",
    "https://boards.greenhouse.io/embed/job_board?for=",
    "https://apply.workable.com/j/62180FD5F9",
    "https://api.lever.co/v0/postings/",
    "https://boards-api.greenhouse.io/v1/jobs",
    "https://www.recruitee.com/",
    "https://a.b.recruitee.com/",
    "https://jobs.lever.co/a%2Fb",
    "https://www.jobs.personio.de/",
    "https://app.teamtailor.com/companies",
    "https://acme.eu.teamtailor.com/jobs",  # only North America is known to have its own host
    "https://a.b.na.teamtailor.com/",
    "https://www.breezy.hr/",
    "https://attachments-cdn.breezy.hr/x.pdf",
    "https://app.pinpointhq.com/",
    "https://help.pinpointhq.com/",
    "ftp://jobs.lever.co/plaid",
    "https://",
    "",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        resolve_board(text)
    message = str(caught.value)
    assert repr(text) in message
    # Short: one form per kind, each naming its kind and its URL.
    for form in ACCEPTED_FORMS:
        assert form in message
    assert "https://jobs.lever.co/TOKEN" in message and "https://TOKEN.recruitee.com/" in message


@pytest.mark.parametrize("url", ["https://acme.personio.de/", "https://acme.personio.com/login"])
def test_a_personio_login_points_at_the_job_page(url: str) -> None:
    with pytest.raises(ValueError) as caught:
        resolve_board(url)
    message = str(caught.value)
    assert message.startswith(
        "the job page https://acme.jobs.personio.de (personio:acme), not https://acme.personio."
    )
    assert "Personio login" in message


def test_every_board_kind_has_an_accepted_form() -> None:
    kinds = {form.split(":", 1)[0] for form in ACCEPTED_FORMS}
    # bluedoor boards are made from a subscription's filters, never written by hand.
    assert kinds == set(SOURCES) - {"bluedoor"}


def test_a_malformed_token_names_its_kinds_form() -> None:
    with pytest.raises(ValueError) as caught:
        resolve_board("workday:acme")
    assert "a workday board is written workday:TENANT.wdN/SITE" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://wd1.myworkdaysite.com/recruiting/snapchat/snap",
        "https://wd1.myworkdaysite.com/en-US/recruiting/snapchat/snap/job/Los-Angeles/Engineer_R1",
    ],
)
def test_a_workday_site_on_myworkdaysite_says_why_in_workday_words(url: str) -> None:
    with pytest.raises(ValueError) as caught:
        resolve_board(url)
    message = str(caught.value)
    assert message.startswith(
        "a Workday site on TENANT.wdN.myworkdayjobs.com, such as https://snapchat.wd1.myworkdayjobs.com/snap "
        "(workday:snapchat.wd1/snap): "
    )
    assert "wd1.myworkdaysite.com are not supported yet" in message
    assert "Accepted:" not in message  # not the list of every kind's forms
