from django.db import models


class PrefectureRole(models.TextChoices):
    STAFF = "pref_staff", "県職員"
    COORDINATOR = "coordinator", "派遣調整（職能団体）"
    VIEWER = "pref_viewer", "閲覧者（県）"


# What each prefecture role may do; anything not listed is denied. None of them reaches case
# content or consultation records: those stay behind the municipalities' own gate.
# pool.edit lets a coordinator register and change the advisers of the association it
# coordinates; pool.edit_all (the prefecture's staff) every adviser of the pool.
_READ = {"pool.view", "dispatch.view", "records.view", "training.view"}
PREFECTURE_PERMISSIONS = {
    PrefectureRole.STAFF: _READ
    | {
        "pool.edit",
        "pool.edit_all",
        "dispatch.assign",
        "training.edit",
        "overview.view",
        "members.manage",
    },
    PrefectureRole.COORDINATOR: _READ | {"pool.edit", "dispatch.assign"},
    PrefectureRole.VIEWER: _READ | {"overview.view"},
}


class TrainingKind(models.TextChoices):
    BASIC = "basic", "基礎研修"
    FACILITATOR = "facilitator", "司会者養成研修"
    ADVISER = "adviser", "アドバイザー養成研修"


class RequestStatus(models.TextChoices):
    OPEN = "open", "調整中"
    ASSIGNED = "assigned", "回答待ち"
    ACCEPTED = "accepted", "派遣決定"
    CANCELLED = "cancelled", "取消"


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", "回答待ち"
    ACCEPTED = "accepted", "承諾"
    DECLINED = "declined", "辞退"
    CANCELLED = "cancelled", "取消"


# An assignment that holds the adviser's time: it counts against their load and their day.
HOLDING = [AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED]

WEEKDAYS = ["月", "火", "水", "木", "金", "土", "日"]
HALVES = ["午前", "午後"]
# Availability is a bit mask: bit (weekday * 2 + half), weekday 0 = Monday, half 0 = morning.
SLOT_CHOICES = [
    (str(day * 2 + half), f"{WEEKDAYS[day]}曜{HALVES[half]}")
    for day in range(7)
    for half in range(2)
]
