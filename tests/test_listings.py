from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawler.listings import ListPageRule, parse_feed, parse_list_page, parse_sitemap

KST = timezone(timedelta(hours=9))
FIXTURES = Path(__file__).parent / "fixtures" / "extraction" / "corpus"


def test_rss_and_atom() -> None:
    rss = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><item>
      <title>\xea\xb8\xb0\xec\x82\xac</title><link>https://www.korea.kr/briefing/pressReleaseView.do?newsId=1&amp;call_from=rsslink</link>
      <pubDate>Tue, 02 Apr 2024 09:30:00 +0900</pubDate></item></channel></rss>"""
    entries = parse_feed(rss, "https://www.korea.kr/rss/dept_msit.xml")
    assert [(e.url, e.title) for e in entries] == [
        ("https://www.korea.kr/briefing/pressReleaseView.do?newsId=1&call_from=rsslink", "기사")]
    assert entries[0].listed_at == datetime(2024, 4, 2, 9, 30, tzinfo=KST)
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>
      <link href="/news/view/1"/><updated>2024-04-02T09:30:00+09:00</updated></entry></feed>"""
    assert parse_feed(atom, "https://www.etoday.co.kr/")[0].url == "https://www.etoday.co.kr/news/view/1"


def test_feed_item_with_only_a_permalink_guid() -> None:
    rss = b"""<rss version="2.0"><channel><item><title>t</title><link></link>
      <guid isPermaLink="true">https://www.etoday.co.kr/news/view/7?ref=rss</guid></item>
      <item><title>no address</title><guid isPermaLink="false">etoday-8</guid></item></channel></rss>"""
    assert [e.url for e in parse_feed(rss, "https://rss.etoday.co.kr/")] == ["https://www.etoday.co.kr/news/view/7?ref=rss"]


def test_euc_kr_feed_declared_in_prolog() -> None:
    rss = ('<?xml version="1.0" encoding="euc-kr"?><rss><channel><item><title>행정안전부 발표</title>'
           '<link>https://x.kr/a?idxno=1</link></item></channel></rss>').encode("euc-kr")
    assert parse_feed(rss, "https://x.kr/")[0].title == "행정안전부 발표"


def test_news_sitemap_prefers_publication_date() -> None:
    xml = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>
      <loc>https://www.etoday.co.kr/news/view/2349751</loc><lastmod>2024-04-03T00:00:00+09:00</lastmod>
      <news:news><news:publication_date>2024-04-02T17:05:00+09:00</news:publication_date>
      <news:title>t</news:title></news:news></url></urlset>"""
    entries, nested = parse_sitemap(xml, "https://www.etoday.co.kr/rss/news_sitemap")
    assert nested == [] and entries[0].listed_at == datetime(2024, 4, 2, 17, 5, tzinfo=KST)


def test_korea_kr_list_page_rows() -> None:
    html = (FIXTURES / "korea-kr-pressReleaseList-20260107.html").read_text(encoding="utf-8")
    rule = ListPageRule(row="div.list_type > ul > li", title="span.text > strong",
                        date="span.source > span:first-child", ministry="span.source > span:nth-child(2)")
    entries = parse_list_page(html, "https://www.korea.kr/briefing/pressReleaseList.do", rule)
    assert len(entries) == 20
    assert all("pressReleaseView.do?newsId=" in e.url for e in entries)
    assert entries[0].title == "고용노동부, 울산 남구 고용위기 선제대응지역 신규 지정"
    assert entries[0].listed_at == datetime(2026, 1, 7, tzinfo=KST)
    assert entries[0].ministries == ["고용노동부"]


def test_rows_opening_articles_by_script_id() -> None:
    html = '<ul><li><a href="#" onclick="fn_detail(3185000);return false;">보도자료</a></li></ul>'
    rule = ListPageRule(row="li", link_id_pattern=r"fn_detail\((\d+)\)",
                        link_template="/bbs/view.do?bbsSeqNo=94&nttSeqNo={id}")
    entries = parse_list_page(html, "https://www.msit.go.kr/bbs/list.do", rule)
    assert entries[0].url == "https://www.msit.go.kr/bbs/view.do?bbsSeqNo=94&nttSeqNo=3185000"
