"""Local copies of the four sites newsarchive crawls, for `newsarchive demo` and for the tests.

site/ builds etoday.co.kr and korea.kr, site_ministries/ www.msit.go.kr and www.mois.go.kr, each for a
given KST day; site/server.py serves them on 127.0.0.1, one server per host."""
