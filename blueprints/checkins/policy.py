"""Who may change a check-in: the organization's members, who run the event's door."""
from core.policy import Policy, member
from models import CheckIn


class CheckInPolicy(Policy):
    model = CheckIn

    def undo(self, user, checkin):
        """A member undoes a wrong check-in (with a reason, audit-logged)."""
        member(user, checkin.event.organization)
