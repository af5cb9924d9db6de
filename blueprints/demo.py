"""Demo data: a believable district to click through on first run. Every account shares DEMO_PASSWORD."""
from flask import current_app

from blueprints.validators import credit_code_check_digit
from models import AuditLog, District, Membership, Organization, Street, User, db, utcnow

DEMO_PASSWORD = "ningshe2026"

#: (street slug, name, kind, service fields, party organization, status)
ORGANIZATIONS = [
    ("huayang", "华阳路街道睦邻互助会", "community", "elderly,governance", "joint_branch", "active"),
    ("huayang", "长宁区华阳老年大学校友会", "social_group", "elderly,culture_sports", "own_branch", "active"),
    ("jiangsu", "江苏路街道愚园路历史风貌宣讲队", "community", "culture_sports", "instructor", "active"),
    ("jiangsu", "长宁区助残志愿者协会", "social_group", "disability", "own_branch", "active"),
    ("xinhua", "新华路街道法律服务志愿队", "community", "legal_aid,governance", "joint_branch", "active"),
    ("xinhua", "上海市长宁区新华社区青少年发展中心", "social_service", "youth,science", "instructor", "active"),
    ("xinhua", "新华路梧桐树下读书会", "community", "culture_sports", "none", "pending"),
    ("zhoujiaqiao", "周家桥街道绿色家园环保社", "community", "environment", "none", "active"),
    ("zhoujiaqiao", "长宁区周家桥为老服务中心", "social_service", "elderly", "own_branch", "active"),
    ("tianshan", "天山路街道楼组自治促进会", "community", "governance", "joint_branch", "active"),
    ("tianshan", "天山社区科普志愿服务队", "community", "science", "none", "pending"),
    ("xianxia", "仙霞新村夕阳红志愿服务队", "community", "elderly", "joint_branch", "active"),
    ("xianxia", "长宁区仙霞社区睦邻文化发展中心", "social_service", "culture_sports,governance", "instructor", "active"),
    ("hongqiao", "虹桥街道国际社区融合服务社", "community", "governance", "instructor", "active"),
    ("hongqiao", "长宁区公益伙伴发展基金会", "foundation", "other", "own_branch", "active"),
    ("chengjiaqiao", "程家桥街道乐龄健身队", "community", "elderly,culture_sports", "none", "active"),
    ("beixinjing", "北新泾街道幸福里调解工作室", "community", "legal_aid", "joint_branch", "active"),
    ("beixinjing", "北新泾社区亲子成长营", "community", "youth", "none", "pending"),
    ("xinjing", "新泾镇爱心助餐志愿队", "community", "elderly", "joint_branch", "active"),
    ("xinjing", "长宁区新泾社会工作服务社", "social_service", "elderly,disability,youth", "own_branch", "active"),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"


def demo_credit_code(kind, n):
    """A valid-looking code: 51/52/53 for the civil-affairs registered kinds, then 310105, then a serial."""
    prefix = {"social_group": "51", "social_service": "52", "foundation": "53"}[kind]
    first17 = f"{prefix}310105MJ{n:07d}"
    return first17 + credit_code_check_digit(first17)


def _user(name, phone, role="member", **extra):
    user = User(name=name, phone=phone, role=role, **extra)
    user.set_password(DEMO_PASSWORD, current_app.config.get("PASSWORD_HASH_METHOD"))
    user.save()
    return user


def seed_demo():
    """Accounts for every role and twenty organizations across the ten streets."""
    changning = District.get(District.code == "310105")
    streets = {s.slug: s for s in Street.select().where(Street.district == changning)}
    with db.atomic():
        admin = _user("王建华", "13900000000", "district_admin", district=changning)
        for i, street in enumerate(sorted(streets.values(), key=lambda s: s.code), start=1):
            _user(f"{SURNAMES[i]}{street.name[:2]}管理员", f"139000000{i:02d}", "street_moderator", street=street)
        _user("陈评审", "13900000021", "reviewer")
        _user("林评审", "13900000022", "reviewer")
        for i, (slug, name, kind, fields, party, status) in enumerate(ORGANIZATIONS, start=1):
            org_admin = _user(f"{SURNAMES[i % 20]}秀英" if i % 2 else f"{SURNAMES[i % 20]}志强", f"138000000{i:02d}")
            organization = Organization.create(
                name=name, kind=kind, street=streets[slug], service_fields=fields, party_org=party, status=status,
                credit_code=None if kind == "community" else demo_credit_code(kind, i),
                contact_name=org_admin.name, contact_phone=org_admin.phone, created_by=org_admin,
                reviewed_by=None if status == "pending" else admin, reviewed_at=None if status == "pending" else utcnow(),
                grade="3A" if kind != "community" else None,
            )
            Membership.create(user=org_admin, organization=organization, role="admin")
            volunteer = _user(f"{SURNAMES[(i + 7) % 20]}小{'红明'[i % 2]}", f"137000000{i:02d}")
            Membership.create(user=volunteer, organization=organization, role="volunteer")
            AuditLog.record(org_admin, "organization.register", organization, street=organization.street)


def demo_accounts():
    """Every demo account as {role, phone, password, name, street, org}."""
    rows = []
    staff = User.select().where(User.role != "member", User.phone.startswith("1390000")).order_by(User.phone)
    for user in staff:
        rows.append(_row(user.role, user, user.street.slug if user.street_id else None, None))
    memberships = (
        Membership.select(Membership, User, Organization)
        .join(User)
        .switch(Membership)
        .join(Organization)
        .where(User.phone.startswith("13800000") | User.phone.startswith("13700000"))
        .order_by(Membership.role, User.phone)
    )
    for m in memberships:
        role = "org_admin" if m.role == "admin" else "volunteer"
        rows.append(_row(role, m.user, m.organization.street.slug, m.organization.name))
    return rows


def _row(role, user, street, org):
    return {"role": role, "phone": user.phone, "password": DEMO_PASSWORD, "name": user.name, "street": street, "org": org}
