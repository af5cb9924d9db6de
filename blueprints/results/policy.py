"""Who may do what with a contest's results: its district's admin ranks, stages and publishes; anyone reads the
published results and objects during 公示; the district admin reads and handles the objections."""
from dataclasses import dataclass

from flask_babel import gettext as _

from core.errors import LifecycleError, PermissionDenied
from core.policy import Policy
from models import Campaign, Objection, utcnow


@dataclass
class Results:
    """The results of one campaign: what the ranking, the decisions and the public page act on."""

    campaign: Campaign

    @property
    def published(self):
        return self.campaign.results_published_at is not None

    def in_notice(self, now=None):
        """Published, and now within the 公示 period: objections are taken."""
        now = now or utcnow()
        return self.published and self.campaign.notice_starts_at <= now < self.campaign.notice_ends_at


def district_admin_of(user, campaign):
    """PermissionDenied unless ``user`` is the admin of the campaign's district."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None
            and user.district_id == campaign.district_id):
        raise PermissionDenied(_("只有本区的区管理员可以处理评审结果"))


class ResultsPolicy(Policy):
    model = Results

    def rank(self, user, results):
        """The ranking, the objections and the export: the district admin of the campaign."""
        district_admin_of(user, results.campaign)

    def decide(self, user, results):
        """Stage 立项 / 未立项: from the start of the review phase until the results are published."""
        district_admin_of(user, results.campaign)
        if results.published:
            raise LifecycleError(_("评审结果已公布，立项决定不能再修改"))
        if utcnow() < results.campaign.eligibility_ends_at:
            raise LifecycleError(_("专家评审开始后才能确定立项"))

    def publish(self, user, results):
        """Publish the staged decisions: once, from the end of the review phase on."""
        district_admin_of(user, results.campaign)
        if results.published:
            raise LifecycleError(_("评审结果已经公布了"))
        if utcnow() < results.campaign.review_ends_at:
            raise LifecycleError(_("专家评审结束后才能公布结果"))

    def view(self, user, results):
        """The public page: everyone once published; before, the district admin's preview."""
        if not results.published:
            district_admin_of(user, results.campaign)

    def object(self, user, results):
        """An objection: anyone, during the 公示 period of published results."""
        if not results.in_notice():
            raise LifecycleError(_("现在不在公示期内，不受理异议"))


class ObjectionPolicy(Policy):
    model = Objection

    def handle(self, user, objection):
        """Mark an objection handled with a reply: the district admin of its campaign; once."""
        district_admin_of(user, objection.campaign)
        if objection.handled_at is not None:
            raise LifecycleError(_("这条异议已经处理过了"))
