"""Central government ministries and agencies: official names and the abbreviations the press uses."""

from __future__ import annotations

import re
from functools import lru_cache

# official name -> common short forms (each form maps to exactly one official name)
MINISTRIES: dict[str, tuple[str, ...]] = {
    "기획재정부": ("기재부",),
    "교육부": (),
    "과학기술정보통신부": ("과기정통부", "과기부", "과기정보통신부"),
    "외교부": (),
    "통일부": (),
    "법무부": (),
    "국방부": (),
    "행정안전부": ("행안부",),
    "국가보훈부": ("보훈부",),
    "문화체육관광부": ("문체부",),
    "농림축산식품부": ("농식품부", "농림부"),
    "산업통상자원부": ("산업부", "산자부"),
    "산업통상부": (),
    "보건복지부": ("복지부",),
    "환경부": (),
    "기후에너지환경부": ("기후부", "기후에너지부"),
    "고용노동부": ("고용부", "노동부"),
    "여성가족부": ("여가부",),
    "성평등가족부": ("성평등부",),
    "국토교통부": ("국토부",),
    "해양수산부": ("해수부",),
    "중소벤처기업부": ("중기부",),
    "인사혁신처": ("인사처",),
    "법제처": (),
    "식품의약품안전처": ("식약처",),
    "국가데이터처": (),
    "지식재산처": (),
    "국세청": (),
    "관세청": (),
    "조달청": (),
    "통계청": (),
    "재외동포청": (),
    "검찰청": (),
    "병무청": (),
    "방위사업청": ("방사청",),
    "경찰청": (),
    "소방청": (),
    "국가유산청": ("문화재청",),
    "농촌진흥청": ("농진청",),
    "산림청": (),
    "특허청": (),
    "질병관리청": ("질병청",),
    "기상청": (),
    "행정중심복합도시건설청": ("행복청",),
    "새만금개발청": (),
    "해양경찰청": ("해경청",),
    "우주항공청": ("우주청",),
    "국무조정실": ("국조실",),
    "국무총리비서실": (),
    "공정거래위원회": ("공정위",),
    "금융위원회": ("금융위",),
    "국민권익위원회": ("권익위",),
    "개인정보보호위원회": ("개보위", "개인정보위"),
    "원자력안전위원회": ("원안위",),
    "방송통신위원회": ("방통위",),
    "방송미디어통신위원회": ("방미통위",),
    "금융감독원": ("금감원",),
}


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for official, aliases in MINISTRIES.items():
        table[official] = official
        for alias in aliases:
            table[alias] = official
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # Longest names first so 과학기술정보통신부 wins over a shorter form inside it.
    names = sorted(_alias_table(), key=len, reverse=True)
    # "부" followed by 문/서 is 부문 (sector) or 부서 (department), not a ministry: 산업부문, 교육부서.
    return re.compile("(?:" + "|".join(re.escape(n) for n in names) + ")(?![문서])")


def resolve_ministry(name: str) -> str | None:
    """The official name for an official name or abbreviation (행안부 -> 행정안전부), else None."""
    return _alias_table().get(name.strip().replace(" ", ""))


def find_ministries(*texts: str) -> list[str]:
    """Official names of every ministry or agency named in the texts, in order of first mention."""
    found: dict[str, None] = {}
    for text in texts:
        for match in _pattern().finditer(text or ""):
            found.setdefault(_alias_table()[match.group(0)], None)
    return list(found)
