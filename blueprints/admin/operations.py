"""Staff accounts: the district admin creates street moderators and reviewers, and stops or restores them."""
from flask_babel import gettext as _

from blueprints.admin.policy import STAFF_ROLES
from core.errors import ValidationError
from core.policy import require
from models import AuditLog, User, db


def create_staff(by, role, name, phone, password, street=None, affiliation=""):
    """A district admin creates a street moderator (bound to one street of the district), a reviewer or a partner
    (a company or foundation of the partner month, named by ``affiliation``)."""
    require(by, "manage_staff", by.district)
    if role not in STAFF_ROLES:
        raise ValidationError({"role": _("请选择角色")})
    if role == "street_moderator" and (street is None or street.district_id != by.district_id):
        raise ValidationError({"street": _("街镇管理员必须选择所属街镇")})
    affiliation = (affiliation or "").strip() if role == "partner" else ""
    if role == "partner" and not affiliation:
        raise ValidationError({"affiliation": _("请填写公益伙伴所在的企业或基金会")})
    with db.atomic():
        if User.select().where(User.phone == phone).exists():
            raise ValidationError({"phone": _("这个手机号已有账号")})
        user = User(
            name=name.strip(), phone=phone, role=role, affiliation=affiliation,
            street=street if role == "street_moderator" else None,
            district=by.district if role != "street_moderator" else None,  # a moderator's is its street's
        )
        user.set_password(password)
        user.save()
        AuditLog.record(by, "user.create_staff", user, detail=role, street=user.street)
    return user


def set_active(user, by, active):
    """The district admin stops (or restores) a staff account; a stopped account cannot log in, and the sessions
    it had stay ended once it is restored."""
    require(by, "set_active", user)
    with db.atomic():
        user.active = active
        user.save()
        if not active:
            user.end_sessions()
        AuditLog.record(by, "user.activate" if active else "user.deactivate", user, street=user.street)


def move_street(user, by, street):
    """The district admin moves a street moderator to another street of the district: from then on they watch over
    that street, and no longer over the one they left."""
    require(by, "move_street", user)
    if street is None or street.district_id != by.district_id:
        raise ValidationError({"street": _("请选择本区的街镇")})
    if street.id == user.street_id:
        raise ValidationError({"street": _("%(name)s 已经在%(street)s", name=user.name, street=street.name)})
    left = user.street.name if user.street_id else "—"
    with db.atomic():
        user.street = street
        user.save(only=[User.street])
        AuditLog.record(by, "user.move_street", user, detail=f"{left} → {street.name}", street=street)
    return user
