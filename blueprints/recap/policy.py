"""Who may read a partner month's summary: the admin of the campaign's district."""
from dataclasses import dataclass

from flask_babel import gettext as _

from core.errors import PermissionDenied
from core.policy import Policy
from models import Campaign


@dataclass
class Recap:
    """The summary of one partner month: what its page and its export act on."""

    campaign: Campaign


def district_admin_of(user, campaign):
    """PermissionDenied unless ``user`` is the admin of the campaign's district."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None
            and user.district_id == campaign.district_id):
        raise PermissionDenied(_("只有本区的区管理员可以查看伙伴月总结"))


class RecapPolicy(Policy):
    model = Recap

    def view(self, user, recap):
        """The summary page and its export: the district admin of the campaign."""
        district_admin_of(user, recap.campaign)
