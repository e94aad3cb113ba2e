"""The press releases the local msit/mois test sites publish: the truth the end-to-end tests assert.

Dates are relative to the day the site is built for, so the default crawl window always fits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.timewindow import KST


@dataclass(frozen=True)
class Release:
    site: str                      # "msit" or "mois"
    post_id: int                   # nttSeqNo (msit) / nttId (mois)
    title: str
    subtitle: str
    paragraphs: tuple[str, ...]
    department: str
    days_ago: int
    hhmm: str
    files: tuple[tuple[str, str], ...]  # (file name, file key: msit atchFileNo / mois atchFileId)

    def published(self, today: date) -> datetime:
        return datetime.combine(today - timedelta(days=self.days_ago), time.fromisoformat(self.hhmm), KST)


MSIT = "과학기술정보통신부"
MOIS = "행정안전부"

RELEASES: tuple[Release, ...] = (
    Release("msit", 3185004, "차세대 네트워크 6G 표준 선점 위한 민관 협의체 출범",
            "- 통신 3사·장비업체·연구기관 참여, 2028년 국제표준 제안 목표 -",
            ("과학기술정보통신부(장관 ○○○, 이하 ‘과기정통부’)는 6G 국제표준 선점을 위한 "
             "민관 협의체를 출범하고 첫 회의를 개최했다고 밝혔다.",
             "협의체에는 이동통신 3사와 장비 제조사, 정부출연연구기관 등 20여 개 기관이 "
             "참여하며, 위성통신과 저궤도 위성망 연동 기술을 중점 과제로 다룬다.",
             "과기정통부는 올해 하반기까지 기술 로드맵을 마련하고 2028년 국제전기통신연합(ITU)에 "
             "표준안을 제안할 계획이다."),
            "전파정책기획과", 0, "12:00",
            (("260303 (석간) 6G 민관 협의체 출범.hwpx", "49301"),
             ("260303 (석간) 6G 민관 협의체 출범.pdf", "49301"))),
    Release("msit", 3185003, "인공지능 반도체 실증 지원사업 참여기업 모집",
            "",
            ("과학기술정보통신부는 국산 인공지능 반도체의 데이터센터 실증을 지원하는 사업의 참여기업을 "
             "다음 달 14일까지 모집한다고 밝혔다.",
             "선정된 컨소시엄에는 최대 2년간 과제당 40억 원 내외가 지원되며, 공공 클라우드 환경에서 "
             "성능과 전력 효율을 검증하게 된다."),
            "인공지능반도체팀", 0, "09:30",
            (("260303 AI반도체 실증사업 공고문.hwp", "49288"),)),
    Release("msit", 3185001, "우체국 금융 디지털 창구 전국 확대",
            "- 고령층 대상 화상 상담 서비스도 함께 도입 -",
            ("과학기술정보통신부 우정사업본부는 종이 서식 없이 태블릿으로 업무를 처리하는 디지털 창구를 "
             "전국 우체국으로 확대한다고 밝혔다.",
             "우정사업본부는 디지털 기기 사용이 익숙하지 않은 고령층을 위해 창구 직원이 화상으로 돕는 "
             "상담 서비스도 함께 운영한다."),
            "우정사업본부 금융총괄과", 1, "14:00",
            (("260302 우체국 디지털 창구 확대.hwpx", "49270"),)),
    Release("msit", 3184990, "양자과학기술 연구개발 성과 발표회 개최",
            "",
            ("과학기술정보통신부는 양자컴퓨팅과 양자통신 분야의 연구개발 성과를 공유하는 발표회를 개최했다.",
             "발표회에서는 국내 연구진이 개발한 초전도 큐비트 제어 기술 등 12건의 성과가 소개되었다."),
            "양자혁신기술개발과", 4, "10:00",
            (("260227 양자 성과 발표회.hwpx", "49201"),)),
    Release("mois", 126504, "지방자치단체 재난안전 통신망 합동 점검 실시",
            "- 17개 시도와 함께 재난 상황 대비 통신 장애 대응체계 점검 -",
            ("행정안전부(장관 ○○○)는 17개 시도와 함께 재난안전통신망의 운영 실태를 합동 점검한다고 밝혔다.",
             "이번 점검에서는 기지국 예비전원과 단말기 보급 현황, 재난 현장 지휘체계와의 연계 상태를 "
             "중점적으로 확인한다.",
             "행정안전부는 점검 결과 미흡한 사항은 상반기 중 보완하도록 하고 우수 사례는 "
             "전국에 공유할 계획이다."),
            "재난안전통신망과", 0, "11:00",
            (("260303 재난안전통신망 합동점검.hwpx", "FILE_000000000126504"),)),
    Release("mois", 126501, "주민등록 사실조사 결과 발표",
            "",
            ("행정안전부는 전국 읍면동에서 실시한 주민등록 사실조사 결과, 거주 불명자 현황과 "
             "정비 실적을 발표했다.",
             "이번 조사는 처음으로 비대면 조사를 병행해 참여율이 높아졌으며, 고령층 방문 조사도 "
             "함께 이루어졌다."),
            "주민과", 1, "09:00",
            (("260302 주민등록 사실조사 결과.hwpx", "FILE_000000000126501"),
             ("260302 주민등록 사실조사 결과.pdf", "FILE_000000000126501"))),
    Release("mois", 126470, "지역 균형발전 우수사례 경진대회 개최",
            "",
            ("행정안전부는 지역 균형발전에 기여한 지방자치단체의 우수사례를 발굴하는 경진대회를 개최했다.",
             "최종 심사를 거쳐 선정된 10개 지방자치단체에는 특별교부세가 지원된다."),
            "지역균형발전과", 5, "15:00",
            (("260226 균형발전 경진대회.hwpx", "FILE_000000000126470"),)),
)


def releases(site: str) -> list[Release]:
    return [r for r in RELEASES if r.site == site]
