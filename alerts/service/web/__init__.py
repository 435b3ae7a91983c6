"""The read-only web side: the page at `/`, Atom feeds, `/healthz` and
`/metrics`, served by `alerts web` and `alerts run --http`.

http.py is the server (strict and small), app.py the routes, pages.py and
feeds.py what they show, chart.py the open-postings chart, templates/ the
Jinja2 templates and the stylesheet.
"""
