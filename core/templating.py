"""Jinja filters and globals: dates in Asia/Shanghai, masked phones, labels for stored keys."""
import datetime

from flask import request
from flask_babel import format_date, format_datetime, get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core.policy import can
from core.uploads import megabytes
from core.validators import mask_phone
from models import GRADES

LABELS = {
    "org_kind": {
        "social_group": _l("社会团体"),
        "social_service": _l("民办非企业单位(社会服务机构)"),
        "foundation": _l("基金会"),
        "community": _l("社区社会组织"),
    },
    "party_org": {
        "own_branch": _l("单独党支部"),
        "joint_branch": _l("联合党支部"),
        "instructor": _l("党建指导员"),
        "none": _l("无"),
    },
    "service_field": {
        "elderly": _l("养老"),
        "disability": _l("助残"),
        "youth": _l("青少年"),
        "governance": _l("社区治理"),
        "culture_sports": _l("文体"),
        "environment": _l("环保"),
        "legal_aid": _l("法律援助"),
        "science": _l("科技"),
        "party_building": _l("党建"),
        "other": _l("其他"),
    },
    "org_status": {
        "pending": _l("待审核"),
        "active": _l("正常"),
        "flagged": _l("活动异常"),
        "closed": _l("已注销"),
        "declined": _l("未通过"),
    },
    "event_status": {
        "draft": _l("草稿"),
        "submitted": _l("待审核"),
        "published": _l("已发布"),
        "returned": _l("已退回"),
        "ended": _l("已结束"),
        "reported": _l("已报告"),
        "cancelled": _l("已取消"),
    },
    "campaign_kind": {
        "contest": _l("公益创投"),
        "month": _l("公益伙伴月"),
    },
    "campaign_phase": {
        "upcoming": _l("未开始"),
        "application": _l("申报"),
        "eligibility": _l("资格审查"),
        "review": _l("专家评审"),
        "notice": _l("公示"),
        "results": _l("结果公布"),
    },
    "month_phase": {
        "upcoming": _l("未开始"),
        "signup": _l("报名中"),
        "running": _l("进行中"),
        "over": _l("已结束"),
    },
    "entry_status": {
        "pending": _l("待确认"),
        "confirmed": _l("已确认"),
        "returned": _l("需修改"),
        "withdrawn": _l("已撤回"),
    },
    "proposal_status": {
        "draft": _l("草稿"),
        "submitted": _l("已提交"),
        "withdrawn": _l("已撤回"),
        "eligible": _l("资格审查合格"),
        "ineligible": _l("资格审查不合格"),
        "returned": _l("退回修改"),
    },
    "scoring": {
        "mean": _l("取平均分"),
        "median": _l("取中位数"),
        "trimmed": _l("去掉一个最高分和一个最低分后取平均"),
    },
    "when": {
        "today": _l("今天"),
        "week": _l("本周"),
        "month": _l("本月"),
    },
    "checkin_mode": {
        "static": _l("固定二维码，打印张贴"),
        "rotating": _l("动态二维码，屏幕显示"),
    },
    "signup_status": {
        "confirmed": _l("已报名"),
        "waitlist": _l("候补"),
        "cancelled": _l("已取消"),
    },
    "role": {
        "member": _l("居民"),
        "district_admin": _l("区管理员"),
        "street_moderator": _l("街镇管理员"),
        "reviewer": _l("评审专家"),
        "partner": _l("公益伙伴"),
        "admin": _l("组织管理员"),
        "volunteer": _l("志愿者"),
    },
    "need_kind": {
        "need": _l("需求"),
        "offer": _l("资源"),
    },
    "need_category": {
        "volunteers": _l("志愿者"),
        "venue": _l("场地"),
        "goods": _l("物资"),
        "expertise": _l("专业服务"),
        "funding": _l("资金"),
    },
    "need_status": {
        "submitted": _l("待发布"),
        "published": _l("已发布"),
        "returned": _l("已退回"),
        "matched": _l("已对接"),
        "closed": _l("已关闭"),
    },
    "grade": {g: g for g in GRADES},
}


def label(key, group):
    """The display name of a stored key, e.g. label('elderly', 'service_field') → 养老."""
    return LABELS[group].get(key, key)


def choices(group):
    return [SelectChoice(key, text) for key, text in LABELS[group].items()]


def local_datetime(value, fmt="long"):
    """2026年5月12日 14:00 (Asia/Shanghai) from a stored naive-UTC timestamp."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=datetime.UTC)
    if fmt == "time":  # the same in every language: no need for Babel's formatting (签到成功 shows it on each check-in)
        return aware.astimezone(get_timezone()).strftime("%H:%M")
    return format_datetime(aware, "yyyy年M月d日 HH:mm" if _is_chinese() else "d MMM yyyy HH:mm")


def last_day(value):
    """2026年12月1日: the last day before an exclusive end (the midnight, Shanghai, after a phase or an extension)."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=datetime.UTC) - datetime.timedelta(seconds=1)
    return format_datetime(aware, "yyyy年M月d日" if _is_chinese() else "d MMM yyyy")


def long_date(value):
    """2026年12月1日 from a calendar date (a need's deadline, say)."""
    if value is None:
        return ""
    return format_date(value, "yyyy年M月d日" if _is_chinese() else "d MMM yyyy")


def event_when(event):
    """2026年5月12日 星期二 14:00–16:00: the date once when the event starts and ends on the same day."""
    start = event.starts_at.replace(tzinfo=datetime.UTC)
    end = event.ends_at.replace(tzinfo=datetime.UTC)
    if _is_chinese():
        day, full = "yyyy年M月d日 EEEE HH:mm", "yyyy年M月d日 HH:mm"
    else:
        day, full = "EEE d MMM yyyy HH:mm", "d MMM yyyy HH:mm"
    same_day = format_datetime(start, "yyyyMMdd") == format_datetime(end, "yyyyMMdd")
    return f"{format_datetime(start, day)}–{format_datetime(end, 'HH:mm' if same_day else full)}"


def _is_chinese():
    return request.cookies.get("lang", "zh_CN") != "en"


def in_wechat():
    """Whether this page is open in WeChat's in-app browser, which cannot download files or print."""
    return "micromessenger" in request.headers.get("User-Agent", "").lower()


def register(app):
    app.jinja_env.filters["mask_phone"] = mask_phone
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["event_when"] = event_when
    app.jinja_env.filters["last_day"] = last_day
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["megabytes"] = megabytes
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["in_wechat"] = in_wechat
    app.jinja_env.globals["can"] = lambda action, obj: can(current_user, action, obj)
    app.jinja_env.globals["label_items"] = lambda group: LABELS[group].items()

    @app.context_processor
    def shell():
        return {
            "elder_mode": request.cookies.get("elder") == "1",
            "lang": "en" if not _is_chinese() else "zh_CN",
        }
