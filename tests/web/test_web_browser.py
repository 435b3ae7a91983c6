"""The web page in a real browser: Debian's headless Chromium driven by
Playwright. The page loads, the filter form works (with scripts off too:
it needs none), a posting's life is one click away, and a hostile title is
shown as text: no element made of it, no script run (the `page` fixture
fails the test on any dialog)."""

from __future__ import annotations

from web_support import HOSTILE

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or, in CI, fails) saying why
    expect = None


def test_the_page_loads_and_shows_the_hostile_title_as_text(server, page):
    response = page.goto(server.url + "/")
    assert response is not None and response.status == 200
    expect(page).to_have_title("All subscriptions · alerts")
    rows = page.locator("#jobs tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(1).locator("td.title")).to_have_text(HOSTILE)
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0 and page.locator("script").count() == 0
    expect(page.locator("#boards tr")).to_have_count(2)
    expect(page.locator("#chart polyline.series")).to_have_count(2)
    expect(page.locator("#chart .legend .company")).to_have_text(["Acme Corp", "Globex"])
    # The stylesheet loaded under the strict Content-Security-Policy.
    colour = page.locator("header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(246, 248, 249)"


def test_the_filter_form_narrows_the_list(server, page):
    page.goto(server.url + "/")
    page.select_option("select[name=company]", "Globex")
    page.click("button[type=submit]")
    page.wait_for_url("**/?*company=Globex*")
    expect(page.locator("#jobs td.title")).to_have_text(["Backend Engineer", "Data Engineer"])
    # The form keeps what was chosen; a second filter narrows further.
    expect(page.locator("select[name=company]")).to_have_value("Globex")
    page.select_option("select[name=work_model]", "remote")
    page.click("button[type=submit]")
    page.wait_for_url("**work_model=remote*")
    expect(page.locator("#jobs td.title")).to_have_text(["Backend Engineer"])
    page.click("a.reset")
    expect(page.locator("#jobs tr")).to_have_count(5)


def test_the_filter_needs_no_script(server, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        page.select_option("select[name=subscription]", "finance")
        page.fill("input[name=q]", "manager")
        page.click("button[type=submit]")
        page.wait_for_url("**subscription=finance*")
        expect(page.locator("#jobs td.title")).to_have_text(["Finance Manager"])
    finally:
        context.close()


def test_a_postings_life_is_one_click_away(server, page):
    page.goto(server.url + "/?company=Globex")
    page.click("#jobs td.title >> text=Data Engineer")
    page.wait_for_url("**/posting?board=lever%3Aglobex&id=g1")
    expect(page.locator("#posting-title")).to_have_text("Data Engineer")
    expect(page.locator("#life .kind")).to_have_text(["First seen", "Closed", "Reopened"])
    page.goto(server.url + "/posting?board=greenhouse%3Aacme&id=a1")
    expect(page.locator("#life .changes li")).to_have_text(
        "title: Platform Engineer → Senior Platform Engineer"
    )
    page.goto(server.url + "/posting?board=greenhouse%3Aacme&id=a3")
    expect(page.locator("#posting-title")).to_have_text(HOSTILE)
    assert page.locator("main img").count() == 0
