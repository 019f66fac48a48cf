"""Fixed lists of a center's business."""

from django.db import models


class Method(models.TextChoices):
    VISIT_IN = "visit_in", "来所"
    PHONE = "phone", "電話"
    HOME_VISIT = "home_visit", "訪問"
    EMAIL = "email", "メール"
    OTHER = "other", "その他"


class Consulter(models.TextChoices):
    SELF = "self", "本人"
    FAMILY = "family", "家族"
    NEIGHBOUR = "neighbour", "近隣"
    WELFARE_VOLUNTEER = "welfare_volunteer", "民生委員"
    CARE_MANAGER = "care_manager", "ケアマネ"
    MEDICAL = "medical", "医療機関"
    PROVIDER = "provider", "事業所"
    OTHER = "other", "その他"


class Response(models.TextChoices):
    INFORMATION = "information", "情報提供"
    REFERRAL = "referral", "関係機関紹介"
    CONTINUING = "continuing", "継続支援"
    VISIT = "visit", "訪問"
    ACCOMPANY = "accompany", "同行"
    OTHER = "other", "その他"


class FollowUp(models.TextChoices):
    OPEN = "open", "継続中"
    CLOSED = "closed", "終了"


# The 区分 a city starts with (seed 001 §4); each city may add its own. Names are kept as
# NFKC normalises them, so 「虐待（疑い）」 typed with full-width brackets finds the same one.
DEFAULT_CATEGORIES = [
    "総合相談",
    "介護保険",
    "福祉サービス",
    "医療",
    "認知症",
    "権利擁護(成年後見)",
    "消費者被害",
    "虐待(疑い)",
    "困難事例",
    "ケアマネ支援",
    "介護予防",
    "住まい",
    "経済",
    "その他",
]
ABUSE_CATEGORY = "虐待(疑い)"
DIFFICULT_CATEGORY = "困難事例"


class EventKind(models.TextChoices):
    FAMILY_CARE = "family_care", "家族介護教室"
    SUPPORTER = "supporter", "認知症サポーター養成講座"
    DEMENTIA_CONSULTATION = "dementia_consultation", "認知症相談会"
    PREVENTION = "prevention", "介護予防講座"
    CAFE = "cafe", "認知症カフェ"
    STAFF_TRAINING = "staff_training", "センター職員研修"
    CM_TRAINING = "cm_training", "ケアマネ研修"
    TRAINEE = "trainee", "実習生受入"
    OTHER = "other", "その他"


class OutreachKind(models.TextChoices):
    SURVEY = "survey", "実態把握"
    PREVENTION = "prevention", "介護予防把握"


class OutreachList(models.TextChoices):
    A = "a", "A 対象者"
    B = "b", "B 未回答者"
    OTHER = "other", "その他（見守り等）"


class VisitResult(models.TextChoices):
    MET = "met", "面談"
    ABSENT = "absent", "不在"
    DECLINED = "declined", "拒否"
    MOVED = "moved", "転居・入院等"
    PHONE = "phone", "電話で確認"


class VolunteerKind(models.TextChoices):
    PREVENTION = "prevention", "介護予防ボランティア"
    WATCH = "watch", "見守りボランティア"


class TargetItem(models.TextChoices):
    """What a 事業計画書 sets a yearly number for."""

    OUTREACH = "outreach", "実態把握・介護予防把握（訪問件数）"
    WATCH_HOUSEHOLDS = "watch_households", "高齢者見守り事業（世帯数）"
    FAMILY_CARE = "family_care", "家族介護教室（回）"
    SUPPORTER = "supporter", "認知症サポーター養成講座（回）"
    DEMENTIA_CONSULTATION = "dementia_consultation", "認知症相談会（回）"
    PREVENTION = "prevention", "介護予防講座（回）"
    CAFE = "cafe", "認知症カフェ（回）"
    STAFF_TRAINING = "staff_training", "センター職員研修（回）"
    CM_TRAINING = "cm_training", "ケアマネ研修（回）"


# Seed 001: 実態把握 about 100 people a year, 認知症相談会 once a year per area, 介護予防講座
# at least once a month per area. The plan may set other numbers.
DEFAULT_TARGETS = {
    TargetItem.OUTREACH: 100,
    TargetItem.DEMENTIA_CONSULTATION: 1,
    TargetItem.PREVENTION: 12,
}
# Which events count towards which target (the same names).
EVENT_TARGETS = {item: EventKind(item) for item in TargetItem.values if item in EventKind.values}


class SubmissionKind(models.TextChoices):
    MONTHLY = "monthly", "月次事業実施状況報告"
    PLAN = "plan", "事業計画書"
    ANNUAL = "annual", "事業報告書"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "未提出"
    SUBMITTED = "submitted", "提出済"
    RETURNED = "returned", "差戻し"
    ACCEPTED = "accepted", "受理"


LOCKED_STATUSES = {SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED}
