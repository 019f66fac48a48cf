"""Fixed lists of the meetings domain."""

from django.db import models

# How far back an unclosed meeting is still worth a reminder or a place on the dashboard: an
# older one (an imported 令和3年度 meeting never closed) is a records problem, not today's work.
RECENT_UNCLOSED_DAYS = 90


class Category(models.TextChoices):
    INDIVIDUAL = "individual", "地域ケア個別会議"
    PROMOTION = "promotion", "地域ケア推進会議"
    OTHER = "other", "その他の会議"


class Level(models.TextChoices):
    CENTER = "center", "センター（個別）"
    AREA = "area", "圏域（第2層）"
    CITY = "city", "市（第1層）"


class Host(models.TextChoices):
    """Who may organise meetings of a body."""

    CITY = "city", "市"
    CORE_CENTER = "core_center", "基幹型センター"
    EACH_CENTER = "each_center", "各センター"
    OTHER = "other", "その他の団体（医師会など）"


class Function(models.TextChoices):
    """The five functions of 地域ケア会議."""

    INDIVIDUAL = "individual", "個別課題解決"
    NETWORK = "network", "ネットワーク構築"
    DISCOVERY = "discovery", "地域課題発見"
    DEVELOPMENT = "development", "地域づくり・資源開発"
    POLICY = "policy", "政策形成"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "対面"
    HYBRID = "hybrid", "一部オンライン"
    ONLINE = "online", "オンライン"


class Status(models.TextChoices):
    PLANNED = "planned", "予定"
    HELD = "held", "実施済"
    CANCELLED = "cancelled", "中止"
    POSTPONED = "postponed", "延期"


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", "司会"
    PRESENTER = "presenter", "事例提供者"
    ADVISER = "adviser", "助言者"
    SECRETARIAT = "secretariat", "事務局"
    PARTICIPANT = "participant", "参加者"
