"""Fixed lists of individual case review."""

from django.db import models


class CareLevel(models.TextChoices):
    INDEPENDENT = "independent", "自立"
    PROGRAM = "program", "事業対象者"
    SUPPORT_1 = "support_1", "要支援1"
    SUPPORT_2 = "support_2", "要支援2"
    CARE_1 = "care_1", "要介護1"
    CARE_2 = "care_2", "要介護2"
    CARE_3 = "care_3", "要介護3"
    CARE_4 = "care_4", "要介護4"
    CARE_5 = "care_5", "要介護5"


# Since 2018-10-01, a care plan with this many 訪問介護 生活援助中心型 visits in a month, or
# more, must be submitted to the municipality.
LIFE_SUPPORT_THRESHOLDS = {
    CareLevel.CARE_1: 27,
    CareLevel.CARE_2: 34,
    CareLevel.CARE_3: 43,
    CareLevel.CARE_4: 38,
    CareLevel.CARE_5: 31,
}

# The 2021 rule for whole 居宅介護支援事業所: over the office's plans, total cost at or above
# 70% of the 区分支給限度基準額 and 訪問介護 at or above 60% of the total cost.
OFFICE_LIMIT_RATIO = 0.70
OFFICE_HOME_HELP_RATIO = 0.60


class CaseStatus(models.TextChoices):
    """The work list, as tumour-board software runs it: each case moves left to right."""

    DRAFT = "draft", "下書き"
    SUBMITTED = "submitted", "提出済"
    READY = "ready", "会議準備完了"
    REVIEWED = "reviewed", "検討済"
    MONITORING = "monitoring", "モニタリング中"
    CLOSED = "closed", "終結"


class CaseType(models.TextChoices):
    DIFFICULTY = "difficulty", "支援者が困難を感じている"
    HINDERS_INDEPENDENCE = "hinders", "支援が自立を阻害している"
    NOT_CONNECTED = "not_connected", "必要だがサービスにつながっていない"
    ADVOCACY = "advocacy", "権利擁護が必要"
    COMMUNITY_ISSUE = "community", "地域課題に関する"
    INDEPENDENCE = "independence", "自立支援・介護予防"
    LIFE_SUPPORT_CHECK = "life_support", "生活援助プランの検証"


class AgeBand(models.TextChoices):
    UNDER_65 = "under_65", "65歳未満"
    AGE_65 = "65", "65〜69歳"
    AGE_70 = "70", "70〜74歳"
    AGE_75 = "75", "75〜79歳"
    AGE_80 = "80", "80〜84歳"
    AGE_85 = "85", "85〜89歳"
    AGE_90 = "90", "90〜94歳"
    AGE_95 = "95", "95歳以上"


class Sex(models.TextChoices):
    FEMALE = "female", "女性"
    MALE = "male", "男性"
    OTHER = "other", "その他・回答なし"


class Household(models.TextChoices):
    ALONE = "alone", "独居"
    ELDERLY_ONLY = "elderly_only", "高齢者のみ世帯"
    WITH_FAMILY = "with_family", "家族と同居"
    FACILITY = "facility", "施設・住宅"
    OTHER = "other", "その他"


class ServiceType(models.TextChoices):
    HOME_HELP_BODY = "home_help_body", "訪問介護（身体介護）"
    HOME_HELP_LIFE = "home_help_life", "訪問介護（生活援助）"
    HOME_NURSING = "home_nursing", "訪問看護"
    HOME_REHAB = "home_rehab", "訪問リハビリテーション"
    DAY_SERVICE = "day_service", "通所介護"
    DAY_REHAB = "day_rehab", "通所リハビリテーション"
    SHORT_STAY = "short_stay", "短期入所"
    EQUIPMENT = "equipment", "福祉用具貸与"
    PREVENTION = "prevention", "介護予防・日常生活支援総合事業"
    OTHER = "other", "その他"


class AssessmentItem(models.TextChoices):
    """The rows of the 課題整理総括表 (MHLW 老健局 2014)."""

    INDOOR_MOBILITY = "indoor_mobility", "室内移動"
    OUTDOOR_MOBILITY = "outdoor_mobility", "屋外移動"
    DIET_CONTENT = "diet_content", "食事内容"
    EATING = "eating", "食事摂取"
    COOKING = "cooking", "調理"
    EXCRETION = "excretion", "排尿・排便"
    TOILETING = "toileting", "排泄動作"
    ORAL_HYGIENE = "oral_hygiene", "口腔衛生"
    ORAL_CARE = "oral_care", "口腔ケア"
    MEDICATION = "medication", "服薬"
    BATHING = "bathing", "入浴"
    DRESSING = "dressing", "更衣"
    CLEANING = "cleaning", "掃除"
    LAUNDRY = "laundry", "洗濯"
    BELONGINGS = "belongings", "整理・物品の管理"
    MONEY = "money", "金銭管理"
    SHOPPING = "shopping", "買物"
    COMMUNICATION = "communication", "コミュニケーション能力"
    COGNITION = "cognition", "認知"
    SOCIAL = "social", "社会との関わり"
    SKIN = "skin", "褥瘡・皮膚の問題"
    BPSD = "bpsd", "行動・心理症状(BPSD)"
    CARE_CAPACITY = "care_capacity", "介護力(家族関係含む)"
    LIVING_ENVIRONMENT = "living_environment", "居住環境"


class Current(models.TextChoices):
    INDEPENDENT = "independent", "自立"
    WATCH = "watch", "見守り"
    PARTIAL = "partial", "一部介助"
    FULL = "full", "全介助"
    NO_PROBLEM = "no_problem", "支障なし"
    PROBLEM = "problem", "支障あり"


# The rows the 課題整理総括表 judges as 支障なし/支障あり; every other row is judged on the
# 自立/見守り/一部介助/全介助 scale (the MHLW form prints the fitting scale on each row).
PROBLEM_SCALE_ITEMS = frozenset(
    {
        AssessmentItem.DIET_CONTENT,
        AssessmentItem.EXCRETION,
        AssessmentItem.ORAL_HYGIENE,
        AssessmentItem.COMMUNICATION,
        AssessmentItem.COGNITION,
        AssessmentItem.SOCIAL,
        AssessmentItem.SKIN,
        AssessmentItem.BPSD,
        AssessmentItem.CARE_CAPACITY,
        AssessmentItem.LIVING_ENVIRONMENT,
    }
)
PROBLEM_SCALE = (Current.NO_PROBLEM, Current.PROBLEM)
CARE_SCALE = (Current.INDEPENDENT, Current.WATCH, Current.PARTIAL, Current.FULL)


def current_choices(item: str) -> list[tuple[str, str]]:
    """The 現在 choices that fit one row of the 課題整理総括表."""
    scale = PROBLEM_SCALE if item in PROBLEM_SCALE_ITEMS else CARE_SCALE
    return [(value.value, value.label) for value in scale]


class Prospect(models.TextChoices):
    IMPROVE = "improve", "改善"
    MAINTAIN = "maintain", "維持"
    WORSEN = "worsen", "悪化"


class ActionStatus(models.TextChoices):
    OPEN = "open", "未着手"
    IN_PROGRESS = "in_progress", "対応中"
    DONE = "done", "完了"
    DROPPED = "dropped", "中止"


# 役割分担 still to be done: past their 期限 they are overdue (dashboard, digest, review page).
UNFINISHED_ACTION = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Outcome(models.TextChoices):
    IMPROVED = "improved", "改善"
    MAINTAINED = "maintained", "維持"
    WORSENED = "worsened", "悪化"


class GoalAchievement(models.TextChoices):
    FULLY = "fully", "◎ 達成"
    MOSTLY = "mostly", "○ おおむね達成"
    PARTLY = "partly", "△ 一部達成"
    NOT = "not", "× 未達成"
