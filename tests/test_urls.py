import pytest

from core.urls import canonical_url


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.etoday.co.kr/news/view/2349751?utm_source=naver&utm_medium=news",
     "https://www.etoday.co.kr/news/view/2349751"),
    ("http://etoday.co.kr/news/view/2349751#comments", "https://www.etoday.co.kr/news/view/2349751"),
    ("https://WWW.ETODAY.CO.KR/news/view/2349751/?a=b", "https://www.etoday.co.kr/news/view/2349751"),
    ("https://m.korea.kr/briefing/pressReleaseView.do?newsId=156612345&pageIndex=2&call_from=rsslink",
     "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156612345"),
    ("https://www.korea.kr/briefing/pressReleaseView.do?pWise=mSub&pWiseSub=C7&newsId=156612345",
     "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156612345"),
    ("https://www.jnilbo.com/news/articleView.html?idxno=90000015817&utm_medium=x&page=3",
     "https://www.jnilbo.com/news/articleView.html?idxno=90000015817"),
    ("https://www.mk.co.kr/news/politics/11333783?utm_source=a#b", "https://www.mk.co.kr/news/politics/11333783"),
    # msit/mois boards: session ids, paging/search keys and key order never make a second article
    ("http://msit.go.kr/bbs/view.do;jsessionid=A1B2?nttSeqNo=3185004&bbsSeqNo=94&mPid=208&mId=307&sCode=user"
     "&pageIndex=3&searchOpt=ALL",
     "https://www.msit.go.kr/bbs/view.do?sCode=user&mId=307&mPid=208&bbsSeqNo=94&nttSeqNo=3185004"),
    ("https://www.mois.go.kr/frt/bbs/type010/commonSelectBoardArticle.do;jsessionid=Xk2mPq9.node10"
     "?nttId=126501&bbsId=BBSMSTR_000000000008&pageIndex=1&searchCnd=0",
     "https://www.mois.go.kr/frt/bbs/type010/commonSelectBoardArticle.do?bbsId=BBSMSTR_000000000008&nttId=126501"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    url = "https://www.msit.go.kr/bbs/view.do?sCode=user&mId=307&mPid=208&bbsSeqNo=94&nttSeqNo=3185000&fbclid=1"
    once = canonical_url(url)
    assert "fbclid" not in once and "nttSeqNo=3185000" in once
    assert canonical_url(once) == once
