"""A hostile copy of 이투데이 for fault tests: the local test site's pages (newsarchive/demo/site), plus article pages
and listings that misbehave on purpose (tests/faults/hostile.py)."""
