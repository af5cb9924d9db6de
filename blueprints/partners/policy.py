"""Who may do what with a need (or offer) and its responses: the poster's admins write it and see every response
with its contact; its street publishes it; signed-in organizations of the district and the district's partner
accounts respond; contacts are shown only to the two sides of a response."""
from flask_babel import gettext as _

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError, PermissionDenied
from core.lifecycle import Lifecycle
from core.policy import Policy, member
from core.timeutil import local_now
from models import Membership, Need, Organization, Response, Street, utcnow

LIFECYCLE = Lifecycle(
    "need",
    {
        "publish": ({"submitted"}, "published"),
        "return": ({"submitted"}, "returned"),
        # A returned one, changed, goes back to the street; a waiting one may be changed before the street decides.
        "edit": ({"submitted", "returned"}, "submitted"),
        "match": ({"published", "matched"}, "matched"),
    },
    labels="need_status",
    refusal=lambda need, status: refusal(status),
)

#: Shown on the board and open to everyone.
PUBLIC = ("published", "matched", "closed")


def refusal(status):
    if status in ("published", "matched", "closed"):
        return _("这条信息已经发布，不能再修改或审核")
    return _("这条信息还没有发布")


def open_month(campaign):
    """LifecycleError unless ``campaign`` is a published partner month that has not ended."""
    if campaign is None or campaign.kind != "month" or not campaign.published:
        raise LifecycleError(_("只能在公益伙伴月期间发布资源对接信息"))
    if campaign.ends_at is not None and utcnow() >= campaign.ends_at:
        raise LifecycleError(_("本届公益伙伴月已经结束"))


def district_of(need):
    return need.street.district_id


def responder_organization(user, need):
    """The admitted organization of the need's district that ``user`` administers and responds for (never the
    poster), else None."""
    return (
        Organization.select().join(Membership).switch(Organization).join(Street)
        .where(Membership.user == user.id, Membership.role == "admin", Organization.status == "active",
               Street.district == district_of(need), Organization.id != need.organization_id)
        .order_by(Organization.name).first()
    )


def poster_admin(user, need):
    membership = membership_of(user, need.organization)
    return membership is not None and membership.role == "admin"


def own_response(user, need):
    if not user.is_authenticated or need.id is None:
        return None
    return Response.get_or_none(Response.need == need.id, Response.responder == user.id)


class NeedPolicy(Policy):
    model = Need
    lifecycle = LIFECYCLE

    def view(self, user, need):
        """Published: everyone. Waiting or returned: the poster's members and the watchers of the need's street."""
        if need.status in PUBLIC:
            return
        if membership_of(user, need.organization) is not None or can_watch_street(user, need.street):
            return
        raise PermissionDenied(_("您无权查看这条信息"))

    def create(self, user, need):
        """An admin of an admitted organization of the month's district, while the month runs."""
        member(user, need.organization, admin=True)
        if need.organization.status != "active":
            raise PermissionDenied(_("组织通过审核后才能发布资源对接信息"))
        open_month(need.campaign)
        if need.campaign.district_id != need.organization.street.district_id:
            raise PermissionDenied(_("只有本区的社会组织可以发布"))

    def edit(self, user, need):
        member(user, need.organization, admin=True)

    def publish(self, user, need):
        if not can_watch_street(user, need.street):
            raise PermissionDenied(_("只有信息所在街镇的管理员可以发布"))

    def return_(self, user, need):
        self.publish(user, need)

    def manage(self, user, need):
        """The poster's admins: every response, with the responder's contact."""
        member(user, need.organization, admin=True)

    def contact(self, user, need):
        """The need's contact: the poster's admins, and whoever responded to it."""
        if poster_admin(user, need) or own_response(user, need) is not None:
            return
        raise PermissionDenied(_("只有对接双方可以看到联系方式"))

    def respond(self, user, need):
        """A partner account of the district, or an admin of another admitted organization of the district; once;
        while it is published and not past its deadline."""
        if not user.is_authenticated:
            raise PermissionDenied(_("请先登录"))
        if poster_admin(user, need):
            raise PermissionDenied(_("不能回应本组织发布的信息"))
        partner = user.role == "partner" and user.district_id == district_of(need)
        if not partner and responder_organization(user, need) is None:
            raise PermissionDenied(_("只有本区的社会组织和公益伙伴可以回应"))
        if need.status != "published" or need.deadline < local_now().date():
            raise LifecycleError(_("这条信息已截止或已对接成功，不能再回应"))
        if own_response(user, need) is not None:
            raise LifecycleError(_("您已经回应过这条信息"))


class ResponsePolicy(Policy):
    model = Response

    def contact(self, user, response):
        """The responder's contact: the responder, and the poster's admins."""
        if user.is_authenticated and (response.responder_id == user.id or poster_admin(user, response.need)):
            return
        raise PermissionDenied(_("只有对接双方可以看到联系方式"))

    def match(self, user, response):
        """The poster's admins mark a response as the match, once."""
        member(user, response.need.organization, admin=True)
        if response.matched_at is not None:
            raise LifecycleError(_("这条回应已经标记为对接成功"))
        LIFECYCLE.check(response.need, "match")
