"""Who may do what with a campaign: its district's admin sets it up; once published, anyone may read it."""
from flask_babel import gettext as _

from core.errors import LifecycleError, PermissionDenied
from core.policy import Policy
from models import Campaign


def district_admin_of(user, campaign):
    """PermissionDenied unless ``user`` is the admin of the campaign's district."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None
            and user.district_id == campaign.district_id):
        raise PermissionDenied(_("只有本区的区管理员可以设置大赛"))


class CampaignPolicy(Policy):
    model = Campaign

    def view(self, user, campaign):
        """A published campaign for anyone; a draft for its district's admin only."""
        if not campaign.published:
            district_admin_of(user, campaign)

    def manage(self, user, campaign):
        """Create and edit: the district admin of the campaign's district."""
        district_admin_of(user, campaign)

    def publish(self, user, campaign):
        district_admin_of(user, campaign)
        if campaign.published:
            raise LifecycleError(_("大赛已经发布了"))
