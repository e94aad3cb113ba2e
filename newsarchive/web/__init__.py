"""The web explorer: `newsarchive serve`, a read-only browser and JSON API over the archive.

app.py builds the application; pages.py and api.py hold the routes, which share the data gathered in
search_view.py, article_view.py, timeline_view.py and runs_view.py; chart.py draws the attention chart
as SVG on the server, so pages need no script at all; database.py opens the archive read-only."""
