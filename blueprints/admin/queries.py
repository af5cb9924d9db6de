"""The audit log as the district and its streets read it: scoped, searched, paged, newest first."""
import datetime

from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from core.timeutil import to_utc
from core.validators import normalize_phone, parse_id
from models import AuditLog, Street, User

PER_PAGE = 50
#: The most rows a search counts: beyond that the page says "more than", and counting stays quick on a long log.
COUNT_MAX = 10_000
#: The most rows an export holds (newest first): far more than a year of a street's work.
EXPORT_MAX = 100_000

#: What the log's objects are, in words.
TARGET_LABELS = {
    "user": _l("账号"), "organization": _l("组织"), "event": _l("活动"), "signup": _l("报名"), "checkin": _l("签到"),
    "shift": _l("服务时长"), "campaign": _l("大赛/伙伴月"), "proposal": _l("项目申报"), "assignment": _l("评审分配"),
    "report": _l("活动报告"), "projectreport": _l("项目报告"), "need": _l("需求"), "response": _l("对接"),
    "monthentry": _l("伙伴月报名"), "signal": _l("风险提示"), "invite": _l("邀请链接"), "membership": _l("成员"),
    "street": _l("街镇"), "objection": _l("异议"), "reportphoto": _l("活动照片"), "proposalfile": _l("申报附件"),
    "orgnote": _l("组织备注"), "extension": _l("延期"), "conflict": _l("评审回避"), "score": _l("评分"),
    "category": _l("申报类别"), "district": _l("区"),
}

#: The commonest actions, in words; the others show their code.
ACTION_LABELS = {
    "user.signup": _l("注册账号"), "user.password": _l("修改密码"), "user.logout_everywhere": _l("在所有设备退出"),
    "user.create_staff": _l("创建工作人员账号"), "user.activate": _l("恢复账号"), "user.deactivate": _l("停用账号"),
    "user.temporary_password": _l("重置密码（临时密码）"), "user.move_street": _l("调动街镇管理员"),
    "organization.register": _l("登记组织"), "organization.add": _l("代录组织"), "organization.admit": _l("通过组织"),
    "organization.decline": _l("不通过组织"), "organization.status": _l("设置组织状态"),
    "organization.grade": _l("设置等级评估"), "organization.annual_report": _l("登记年报"),
    "organization.note": _l("添加备注"), "event.draft": _l("保存活动草稿"), "event.submit": _l("提交活动"),
    "event.publish": _l("发布活动"), "event.return": _l("退回活动"), "event.cancel": _l("取消活动"),
    "event.copy": _l("复制活动"), "checkin.manual": _l("补签到"), "checkin.undo": _l("撤销签到"),
    "console.export": _l("导出表格"),
    "checkin.export_full": _l("导出签到（完整手机号）"), "shift.export": _l("导出服务时长"),
    "report.submit": _l("提交活动报告"), "report.accept": _l("通过活动报告"), "report.return": _l("退回活动报告"),
    "signal.close": _l("风险提示已查看"), "signal.refresh": _l("重新计算风险提示"),
    "campaign.create": _l("创建大赛/伙伴月"), "campaign.publish": _l("发布大赛/伙伴月"),
    "campaign.edit": _l("修改大赛/伙伴月"), "campaign.extend": _l("延长申报期限"), "event.edit": _l("修改活动"),
    "event.resubmit": _l("重新提交活动"), "review.assign": _l("分配评审"), "review.auto_assign": _l("自动分配评审"),
    "review.unassign": _l("取消评审分配"), "review.conflict": _l("评审回避"), "results.decide": _l("确定资助"),
    "results.publish": _l("公示结果"), "results.objection_handled": _l("处理异议"), "proposal.start": _l("开始申报"),
    "membership.join": _l("加入组织"), "invite.create": _l("创建邀请链接"), "report.create": _l("开始写活动报告"),
    "report.save": _l("保存活动报告"), "entry.signup": _l("伙伴月报名"), "need.create": _l("发布需求"),
    "response.create": _l("响应需求"), "response.match": _l("对接成功"),
}


def action_label(action):
    return ACTION_LABELS.get(action, action)


def target_label(target_type):
    return TARGET_LABELS.get(target_type, target_type)


def district_scope(district_id):
    """The district's rows: those of its streets, and those of no street that its staff or its streets' moderators
    wrote (a campaign, an account) — never another district's."""
    actor_street = Street.alias()
    return (
        AuditLog.select(AuditLog, User, Street)
        .join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id))
        .join(actor_street, JOIN.LEFT_OUTER, on=(User.street == actor_street.id))
        .switch(AuditLog)
        .join(Street, JOIN.LEFT_OUTER, on=(AuditLog.street == Street.id))
        .where(
            (Street.district == district_id)
            | (AuditLog.street.is_null() & ((User.district == district_id) | (actor_street.district == district_id)))
        )
    )


def street_scope(street):
    """The street's rows: only those written with ``street`` as theirs."""
    return (
        AuditLog.select(AuditLog, User, Street)
        .join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id))
        .switch(AuditLog)
        .join(Street, JOIN.LEFT_OUTER, on=(AuditLog.street == Street.id))
        .where(AuditLog.street == street.id)
    )


def present_actions(street=None):
    """The actions written so far (``street``'s only, for a street's log), sorted: the choices of the search. The
    district's are the whole log's (a read of the action index: no join); they are the app's words, no one's data."""
    query = AuditLog.select(AuditLog.action).distinct().order_by(AuditLog.action)
    if street is not None:
        query = query.where(AuditLog.street == street.id)
    return [action for (action,) in query.tuples()]


def count(query):
    """How many rows ``query`` finds, counted up to COUNT_MAX + 1 (more than COUNT_MAX: "more than")."""
    return query.limit(COUNT_MAX + 1).count()


def search(scope, who="", action="", target_type="", target_id=None, start=None, end=None):
    """``scope`` narrowed by the actor's name or phone, the action, the object and the Shanghai days [start, end];
    newest first."""
    query = scope
    who = (who or "").strip()
    if who:
        phone_digits = normalize_phone(who) or (who if who.isascii() and who.isdigit() else None)
        if phone_digits:
            query = query.where(User.phone.contains(phone_digits))
        else:
            query = query.where(fn.LOWER(User.name).contains(who.lower()))
    if action:
        query = query.where(AuditLog.action == action)
    if target_type:
        query = query.where(AuditLog.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditLog.target_id == target_id)
    if start:
        query = query.where(AuditLog.created_at >= to_utc(datetime.datetime.combine(start, datetime.time())))
    if end:
        next_day = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
        query = query.where(AuditLog.created_at < to_utc(next_day))
    return query.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())


def search_form_values(form):
    """The search of a validated AuditForm as keyword arguments of search()."""
    return {
        "who": form.who.data, "action": form.action.data or "", "target_type": form.target_type.data or "",
        "target_id": parse_id((form.target_id.data or "").strip()), "start": form["from"].data, "end": form["to"].data,
    }
