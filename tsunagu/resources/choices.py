"""Fixed lists of 地域づくり・資源開発."""

from django.db import models


class ResourceKind(models.TextChoices):
    SALON = "salon", "サロン"
    GATHERING = "gathering", "通いの場"
    MEALS = "meals", "配食"
    WATCHING = "watching", "見守り"
    TRANSPORT = "transport", "移動支援"
    SHOPPING = "shopping", "買い物支援"
    HOUSEWORK = "housework", "家事支援"
    DEMENTIA_CAFE = "dementia_cafe", "認知症カフェ"
    VOLUNTEER = "volunteer", "ボランティア団体"
    RESIDENT_SERVICE = "resident_service", "住民主体サービス"
    FORMAL = "formal", "公的・介護保険サービス"
    OTHER = "other", "その他"


# What each kind is for, in a sentence: the description of the HSDS taxonomy term.
KIND_DESCRIPTIONS = {
    ResourceKind.SALON: "住民が集まって交流する場（ふれあい・いきいきサロンなど）",
    ResourceKind.GATHERING: "介護予防の体操などを住民主体で続ける通いの場",
    ResourceKind.MEALS: "食事を届ける配食サービス（安否確認を兼ねるものを含む）",
    ResourceKind.WATCHING: "訪問・声かけ・緊急通報などの見守り活動",
    ResourceKind.TRANSPORT: "通院・買い物などの外出を支える移動支援・送迎",
    ResourceKind.SHOPPING: "移動販売・買い物代行・買い物同行",
    ResourceKind.HOUSEWORK: "ゴミ出し・掃除・電球交換などの家事・生活支援",
    ResourceKind.DEMENTIA_CAFE: "認知症の人と家族、地域の人が集う認知症カフェ",
    ResourceKind.VOLUNTEER: "高齢者を支えるボランティア団体・担い手の活動",
    ResourceKind.RESIDENT_SERVICE: "住民主体の訪問型・通所型サービス（総合事業のサービスBなど）",
    ResourceKind.FORMAL: "介護保険・総合事業・市の事業などの公的サービス",
    ResourceKind.OTHER: "上記以外の社会資源",
}

# The community-issue theme (tsunagu/issues/choices.py DEFAULT_THEMES) under
# which a missing resource of each kind is raised. A municipality may have renamed a theme;
# services.theme_for_kind then falls back to FALLBACK_THEME.
KIND_THEMES = {
    ResourceKind.SALON: "フレイル・通いの場",
    ResourceKind.GATHERING: "フレイル・通いの場",
    ResourceKind.MEALS: "買い物・配食",
    ResourceKind.WATCHING: "独居・孤立・見守り",
    ResourceKind.TRANSPORT: "移動・交通",
    ResourceKind.SHOPPING: "買い物・配食",
    ResourceKind.HOUSEWORK: "ゴミ出し・住環境",
    ResourceKind.DEMENTIA_CAFE: "認知症",
    ResourceKind.VOLUNTEER: "担い手・サービス不足",
    ResourceKind.RESIDENT_SERVICE: "担い手・サービス不足",
    ResourceKind.FORMAL: "担い手・サービス不足",
    ResourceKind.OTHER: "担い手・サービス不足",
}
FALLBACK_THEME = "担い手・サービス不足"


class ResourceStatus(models.TextChoices):
    ACTIVE = "active", "運営中"
    PAUSED = "paused", "休止"
    ENDED = "ended", "終了"


# HSDS 3.0 service.status: active, inactive, defunct, temporarily closed.
HSDS_STATUS = {
    ResourceStatus.ACTIVE: "active",
    ResourceStatus.PAUSED: "temporarily closed",
    ResourceStatus.ENDED: "defunct",
}


class NeedSource(models.TextChoices):
    CASE = "case", "個別事例（地域ケア個別会議など）"
    COUNCIL = "council", "協議体"
    LIAISON = "liaison", "高齢者支援連絡会"
    MEETING = "meeting", "地域ケア会議（推進会議など）"
    CONSULTATION = "consultation", "総合相談"
    HEARING = "hearing", "コーディネーターの訪問・聞き取り"
    OTHER = "other", "その他"


class NeedStatus(models.TextChoices):
    OPEN = "open", "未充足"
    MET = "met", "充足"
    CLOSED = "closed", "終了（取り下げ）"


class ActivityKind(models.TextChoices):
    VISIT = "visit", "訪問・聞き取り"
    COUNCIL = "council", "協議体"
    MEETING = "meeting", "会議・連絡会"
    DEVELOPMENT = "development", "資源開発（立ち上げ支援）"
    TRAINING = "training", "担い手養成・研修"
    MATCHING = "matching", "ニーズと資源のマッチング"
    OTHER = "other", "その他"


# Weekdays as Python numbers them (date.weekday()): 月=0 … 日=6.
WEEKDAY_LABELS = ["月", "火", "水", "木", "金", "土", "日"]
WEEKDAY_CHOICES = [(str(i), label) for i, label in enumerate(WEEKDAY_LABELS)]

# A resource not confirmed for this many days is flagged as stale on every page.
STALE_AFTER_DAYS = 365
