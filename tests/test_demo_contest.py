"""The demo's contests: last year's with its results and projects, this year's in review, the innovation contest
taking applications — whatever day the demo is seeded."""
import pytest

from blueprints.campaigns import scoring
from blueprints.proposals.operations import budget_lines
from blueprints.reviews.queries import submitted_sheets
from models import Assignment, Campaign, Conflict, Event, Membership, Proposal, Score, User, utcnow
from tests.conftest import login

TENTH, NINTH, FOURTH = "第十届长宁区公益创投项目大赛", "第九届长宁区公益创投项目大赛", "第四届社会组织公益创新创业大赛"


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return runner


def contest(name):
    return Campaign.get(Campaign.name == name)


def test_the_tenth_contest_is_in_review_with_twelve_proposals_across_the_streets(demo):
    tenth = contest(TENTH)
    assert tenth.published and tenth.phase() == "review"
    proposals = list(tenth.proposals)
    assert len(proposals) == 12
    assert len({p.organization.street_id for p in proposals}) >= 4
    by_status = {}
    for proposal in proposals:
        by_status.setdefault(proposal.status, []).append(proposal)
    assert set(by_status) == {"eligible", "returned", "ineligible", "submitted"}
    [returned] = by_status["returned"]
    assert returned.check_note and returned.revise_by > utcnow()
    [ineligible] = by_status["ineligible"]
    assert ineligible.check_note
    [waiting] = by_status["submitted"]
    assert waiting.checked_at is None
    for proposal in by_status["eligible"]:
        assert proposal.assignments.count() == 3
    loads = [user.assignments.join(Proposal).where(Proposal.campaign == tenth).count()
             for user in User.select().where(User.role == "reviewer")]
    assert len(loads) >= 5 and max(loads) - min(loads) <= 1


def test_every_sent_proposal_has_a_budget_that_adds_up_within_its_caps(demo):
    sent = Proposal.select().where(Proposal.status != "draft")
    assert sent.count() >= 20
    for proposal in sent:
        assert sum(amount for _item, amount in budget_lines(proposal.budget_items)) == proposal.total_budget
        assert proposal.amount_requested <= min(proposal.total_budget, proposal.category.max_grant)
        assert proposal.summary and len(proposal.summary) <= 500
        assert proposal.plan and proposal.outcomes and proposal.team and proposal.needs
        assert proposal.starts_on < proposal.ends_on


def test_review_sheets_are_submitted_saved_or_not_started_and_scores_lie_in_range(demo):
    tenth = contest(TENTH)
    criteria = {c.id: c for c in tenth.ordered_criteria()}
    assignments = list(Assignment.select().join(Proposal).where(Proposal.campaign == tenth))
    submitted = [a for a in assignments if a.submitted]
    saved = [a for a in assignments if a.saved_at and not a.submitted]
    untouched = [a for a in assignments if a.saved_at is None]
    assert submitted and saved and untouched
    for assignment in submitted:
        scores = {s.criterion_id: s.score for s in assignment.scores}
        assert set(scores) == set(criteria)
        assert all(criteria[c].min_score <= score <= criteria[c].max_score for c, score in scores.items())
        assert assignment.comment
    assert all(0 < a.scores.count() < len(criteria) for a in saved)
    assert not Score.select().where(Score.assignment.in_([a.id for a in untouched])).exists()
    sheets = submitted_sheets(tenth)
    totals = {pid: {r: sum(s.values()) for r, s in by_reviewer.items()} for pid, by_reviewer in sheets.items()}
    flagged = {pid for pid, t in totals.items() if scoring.outliers(t)}
    assert len(flagged) == 1  # one reviewer clearly off from the others on one proposal


def test_no_reviewer_is_assigned_to_an_organization_they_belong_to_or_avoid(demo):
    assert Membership.select().join(User).where(User.role == "reviewer").exists()
    assert Conflict.select().exists()
    for assignment in Assignment.select():
        organization = assignment.proposal.organization_id
        assert not Membership.select().where(
            Membership.user == assignment.reviewer_id, Membership.organization == organization).exists()
        assert not Conflict.select().where(
            Conflict.reviewer == assignment.reviewer_id, Conflict.organization == organization).exists()
    # …and those applicants did send proposals to the 10th contest.
    tenth = contest(TENTH)
    for row in list(Membership.select().join(User).where(User.role == "reviewer")) + list(Conflict.select()):
        assert Proposal.select().where(Proposal.campaign == tenth, Proposal.organization == row.organization_id,
                                       Proposal.status == "eligible").exists()


def test_last_years_contest_is_published_within_budget_and_its_projects_have_events(demo):
    ninth = contest(NINTH)
    assert ninth.phase() == "results" and ninth.results_published_at is not None
    assert ninth.notice_ends_at < utcnow()
    proposals = list(ninth.proposals)
    assert {p.decision for p in proposals} == {"funded", "unfunded"}
    funded = [p for p in proposals if p.decision == "funded"]
    assert sum(p.amount_granted for p in funded) <= ninth.budget
    for proposal in funded:
        assert proposal.is_project and 0 < proposal.amount_granted <= proposal.amount_requested
        assert proposal.amount_granted <= proposal.category.max_grant
        assert all(a.submitted for a in proposal.assignments) and proposal.assignments.count() == 3
    assert all(p.amount_granted is None for p in proposals if p.decision == "unfunded")
    with_events = [p for p in funded if p.events.exists()]
    assert len(with_events) >= 2
    for proposal in with_events:
        for event in proposal.events:
            assert event.organization_id == proposal.organization_id and event.ends_at < utcnow()
            assert event.status in ("ended", "reported")


def test_the_innovation_contest_takes_applications_with_drafts_started(app, demo):
    fourth = contest(FOURTH)
    assert fourth.is_open
    assert fourth.proposals.where(Proposal.status == "draft").count() >= 1
    assert not Campaign.select().where(Campaign.name != FOURTH, Campaign.kind == "contest",
                                       Campaign.published == True).where(  # noqa: E712
        Campaign.application_opens_at <= utcnow(), Campaign.application_closes_at > utcnow()).exists()


def test_the_returned_proposal_waits_in_its_admins_todo_and_the_unchecked_one_in_its_street_queue(app, demo):
    tenth = contest(TENTH)
    returned = tenth.proposals.where(Proposal.status == "returned").get()
    admin = returned.organization.memberships.where(Membership.role == "admin").get().user
    assert admin.phone == "13800000001"
    client = app.test_client()
    login(client, admin)
    assert returned.title in client.get("/").get_data(as_text=True)
    waiting = tenth.proposals.where(Proposal.status == "submitted").get()
    moderator = User.get(User.role == "street_moderator", User.street == waiting.organization.street_id)
    client = app.test_client()
    login(client, moderator)
    assert waiting.title in client.get(f"/streets/{moderator.street.slug}/").get_data(as_text=True)


def counts():
    models = (User, Membership, Conflict, Campaign, Proposal, Assignment, Score, Event)
    return {model.__name__: model.select().count() for model in models}


def test_seeding_again_changes_nothing(demo):
    before = counts()
    dates = [(c.id, c.application_opens_at, c.review_ends_at) for c in Campaign.select().order_by(Campaign.id)]
    result = demo.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert counts() == before
    assert [(c.id, c.application_opens_at, c.review_ends_at) for c in Campaign.select().order_by(Campaign.id)] == dates


def test_a_demo_from_when_the_tenth_took_applications_gets_it_in_review(demo):
    tenth = contest(TENTH)
    proposals = Proposal.select(Proposal.id).where(Proposal.campaign == tenth)
    assignments = Assignment.select(Assignment.id).where(Assignment.proposal.in_(proposals))
    Score.delete().where(Score.assignment.in_(assignments)).execute()
    Assignment.delete().where(Assignment.proposal.in_(proposals)).execute()
    Proposal.delete().where(Proposal.campaign == tenth).execute()
    Campaign.update(application_closes_at=utcnow().replace(year=utcnow().year + 1)).where(
        Campaign.id == tenth.id).execute()
    result = demo.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert Campaign.select().where(Campaign.name == TENTH).count() == 1
    tenth = contest(TENTH)
    assert tenth.phase() == "review" and tenth.proposals.count() == 12


def test_running_the_demo_a_month_later_keeps_each_contest_in_its_phase(demo):
    import datetime

    from blueprints.demo.contests import MOVING, shift

    month = datetime.timedelta(days=-30)  # as if seeded a month ago
    shift(Campaign.select(), MOVING[Campaign], month)
    shift(Proposal.select(), MOVING[Proposal], month)
    shift(Assignment.select(), MOVING[Assignment], month)
    shift(Event.select().where(Event.project.is_null(False)), MOVING[Event], month)
    assert contest(TENTH).phase() == "results" and not contest(FOURTH).is_open
    before = counts()
    assert demo.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    assert counts() == before
    assert contest(TENTH).phase() == "review" and contest(FOURTH).is_open
    returned = Proposal.get(Proposal.status == "returned")
    assert returned.revise_by > utcnow() and returned.submitted_at < contest(TENTH).application_closes_at
    assert all(e.ends_at < utcnow() for e in Event.select().where(Event.project.is_null(False)))
